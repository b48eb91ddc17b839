import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchRoute, toJsonSchema, validateRequest, validateResponse } from '../support/openapi.js';

describe('the OpenAPI → JSON Schema conversion', () => {
  it('turns nullable into anyOf with null and drops examples', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, example: 'x' })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
  });

  it('keeps property names that look like keywords', () => {
    expect(
      toJsonSchema({ type: 'object', properties: { example: { type: 'string' }, nullable: { type: 'boolean' } } }),
    ).toEqual({
      type: 'object',
      properties: { example: { type: 'string' }, nullable: { type: 'boolean' } },
    });
  });

  it('moves additionalProperties:false of multi-member allOf onto the whole as unevaluatedProperties', () => {
    const converted = toJsonSchema({
      allOf: [
        { type: 'object', properties: { a: {} }, additionalProperties: false },
        { anyOf: [{ type: 'object', properties: { b: {} }, additionalProperties: false }] },
      ],
    });
    expect(converted).toEqual({
      allOf: [{ type: 'object', properties: { a: {} } }, { anyOf: [{ type: 'object', properties: { b: {} } }] }],
      unevaluatedProperties: false,
    });
  });
});

describe('matchRoute', () => {
  it.each([
    ['GET', '/api/v1/projects/abc/tasks', '/projects/{projectId}/tasks'],
    ['POST', '/api/v1/projects/abc/tasks/', '/projects/{projectId}/tasks/'],
    ['POST', '/api/v1/projects/abc/tasks', '/projects/{projectId}/tasks/'],
    ['POST', '/api/v1/projects/from-template', '/projects/from-template'],
    [
      'DELETE',
      '/api/v1/projects/p/tasks/t/assignees/alice',
      '/projects/{projectId}/tasks/{taskId}/assignees/{assigneeHandle}',
    ],
    ['GET', '/api/v1/projects/p/tasks/t/note?x=1', '/projects/{projectId}/tasks/{taskId}/note'],
  ])('%s %s → %s', (method, path, route) => {
    expect(matchRoute(method, path)).toBe(route);
  });

  it('answers null for paths outside the spec', () => {
    expect(matchRoute('GET', '/api/v1/workspaces/w/projects')).toBeNull();
    expect(matchRoute('PATCH', '/api/v1/projects/p')).toBeNull();
  });
});

describe('validators on hand-made bodies', () => {
  const create = (task: Record<string, unknown>): unknown => ({
    tasks: [{ contentType: 'text/markdown', content: 'x', ...task }],
  });

  it('accepts a create element with or without an anchor, as the spec describes', () => {
    expect(validateRequest('POST', '/projects/{projectId}/tasks/', create({ placement: 'beforeend' }))).toEqual([]);
    expect(
      validateRequest('POST', '/projects/{projectId}/tasks/', create({ placement: 'afterbegin', taskId: null })),
    ).toEqual([]);
    expect(
      validateRequest('POST', '/projects/{projectId}/tasks/', create({ placement: 'afterend', taskId: 't' })),
    ).toEqual([]);
  });

  it('refuses a sibling placement without an anchor, unknown keys and 21 tasks', () => {
    expect(validateRequest('POST', '/projects/{projectId}/tasks/', create({ placement: 'afterend' }))).not.toEqual([]);
    expect(
      validateRequest('POST', '/projects/{projectId}/tasks/', create({ placement: 'beforeend', parentId: 'p' })),
    ).not.toEqual([]);
    const many = {
      tasks: Array.from({ length: 21 }, () => ({ contentType: 'text/plain', content: 'x', placement: 'beforeend' })),
    };
    expect(validateRequest('POST', '/projects/{projectId}/tasks/', many)).not.toEqual([]);
  });

  it('accepts no body or {} for operations that declare none, and flags anything else', () => {
    expect(validateRequest('POST', '/projects/{projectId}/tasks/{taskId}/complete', undefined)).toEqual([]);
    expect(validateRequest('POST', '/projects/{projectId}/tasks/{taskId}/complete', {})).toEqual([]);
    expect(validateRequest('POST', '/projects/{projectId}/tasks/{taskId}/complete', { done: true })).not.toEqual([]);
  });

  it('checks 4xx against the Error schema and flags undeclared statuses', () => {
    const error = { ok: false, message: 'm', code: 'NOT_FOUND', statusMessage: 'Not Found' };
    expect(validateResponse('GET', '/projects/{projectId}', 404, error)).toEqual([]);
    expect(validateResponse('GET', '/projects/{projectId}', 404, { ok: false, message: 'm' })).not.toEqual([]);
    expect(validateResponse('GET', '/projects/{projectId}', 201, { ok: true, item: { id: 'p' } })).not.toEqual([]);
  });

  it('accepts a nullable task item and refuses extra keys on Task', () => {
    expect(validateResponse('GET', '/projects/{projectId}/tasks/{taskId}', 200, { ok: true, item: null })).toEqual([]);
    expect(
      validateResponse('GET', '/projects/{projectId}/tasks/{taskId}', 200, {
        ok: true,
        item: { id: 't', position: 1 },
      }),
    ).not.toEqual([]);
  });
});

describe('the vendored spec', () => {
  it('is the official file, byte for byte (spec/taskade-v1/SOURCE.md gives its provenance)', () => {
    const bytes = readFileSync(new URL('../../spec/taskade-v1/api-0.1.0.json', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '55c46b2a35042525bdc28a084efa36a0bd4c2caec71ca04da50cbc18d1a1f09b',
    );
  });
});
