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
