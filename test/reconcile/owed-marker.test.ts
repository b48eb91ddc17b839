import { describe, expect, it } from 'vitest';
import { mergeValues } from '../../src/reconcile/merge-values.js';
import type { TaskRecord } from '../../src/model/task.js';

const base: TaskRecord = {
  id: 't',
  parentId: null,
  kind: 'task',
  text: 'Write docs',
  completed: false,
  note: null,
  due: null,
  assignees: [],
};
const values = (text: string) => ({ text, completed: false, note: null, due: null, assignees: [] });

describe('a conflict whose marker is owed to the file', () => {
  const owed = { base: 'Write docs', local: 'mine', remote: 'colleague' };

  it('writes the marker with the loser (not read as "the user removed the marker")', () => {
    const m = mergeValues(
      't',
      base,
      { ...values('mine'), conflicts: [] },
      values('mine'),
      [{ taskId: 't', field: 'text', winner: 'local', owed }],
      'local',
    );
    expect(m.values.text).toBe('mine');
    expect(m.markers).toEqual([{ field: 'text', value: 'colleague' }]);
    expect(m.conflicts).toEqual([{ taskId: 't', field: 'text', winner: 'local', ...owed }]);
    expect(m.resolved).toEqual([]);
  });

  it('once the marker is in the file, it is pending as any other', () => {
    const m = mergeValues(
      't',
      base,
      { ...values('mine'), conflicts: [{ field: 'text', value: 'colleague' }] },
      values('mine'),
      [{ taskId: 't', field: 'text', winner: 'local', owed }],
      'local',
    );
    expect(m.frozen.has('text')).toBe(true);
    expect(m.markers).toEqual([]);
  });
});

describe('a pending conflict whose winner could not be pushed', () => {
  const marker = { field: 'text' as const, value: 'colleague' };

  it('goes up when the file shows the winner and Taskade still the base; the marker stays', () => {
    // The run that found it pushed 'mine' and the request failed: the base kept Taskade's value.
    const m = mergeValues(
      't',
      base,
      { ...values('mine'), conflicts: [marker] },
      values('Write docs'),
      [{ taskId: 't', field: 'text', winner: 'local', won: 'mine' }],
      'local',
    );
    expect(m.values.text).toBe('mine');
    expect(m.frozen.has('text')).toBe(false);
    expect(m.stillPending).toHaveLength(1);
    expect(m.resolved).toEqual([]);
  });

  it('is left alone when the file shows another value than the winner, or Taskade moved on', () => {
    const edited = mergeValues(
      't',
      base,
      { ...values('mine, edited'), conflicts: [marker] },
      values('Write docs'),
      [{ taskId: 't', field: 'text', winner: 'local', won: 'mine' }],
      'local',
    );
    expect(edited.frozen.has('text')).toBe(true);
    expect(edited.values.text).toBe('Write docs');
    const movedOn = mergeValues(
      't',
      base,
      { ...values('mine'), conflicts: [marker] },
      values('someone else'),
      [{ taskId: 't', field: 'text', winner: 'local', won: 'mine' }],
      'local',
    );
    expect(movedOn.frozen.has('text')).toBe(true);
  });
});
