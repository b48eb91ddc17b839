import { describe, expect, it } from 'vitest';
import { TaskadeError, toSyncError, type TaskadeErrorCode } from '../../src/taskade/index.js';
import { classifyFailure } from '../../src/daemon/classify.js';

const error = (code: TaskadeErrorCode): TaskadeError => new TaskadeError({ code, method: 'GET', route: 'GET /x' });

describe('TaskadeError.kind: what a failure means, decided once on the error', () => {
  it.each<[TaskadeErrorCode, TaskadeError['kind']]>([
    ['AUTH', 'auth'],
    ['SERVER', 'transient'],
    ['NETWORK', 'transient'],
    ['TIMEOUT', 'transient'],
    ['RATE_LIMITED', 'transient'],
    ['NOT_FOUND', 'item'],
    ['VALIDATION', 'item'],
  ])('%s is %s', (code, kind) => {
    expect(error(code).kind).toBe(kind);
  });

  it('the run-ending error and the daemon follow the kind: auth → AUTH, transient → UNREACHABLE, item → neither', () => {
    expect(toSyncError(error('AUTH')).code).toBe('AUTH');
    expect(toSyncError(error('TIMEOUT')).code).toBe('UNREACHABLE');
    expect(toSyncError(error('NOT_FOUND')).code).toBe('INTERNAL');
    expect(classifyFailure(error('AUTH'))).toBe('auth');
    expect(classifyFailure(error('RATE_LIMITED'))).toBe('unreachable');
    expect(classifyFailure(error('VALIDATION'))).toBe('fatal');
  });
});
