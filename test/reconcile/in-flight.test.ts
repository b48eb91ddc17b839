import { describe, expect, it } from 'vitest';
import type { AssigneeWrite, Intent, RunRow } from '../../src/journal/index.js';
import type { RemoteTaskRecord, TaskRecord } from '../../src/model/task.js';
import {
  assigneeWritesInFlight,
  CREATE_GRACE_MS,
  createsInFlight,
  holdWaitingItems,
} from '../../src/reconcile/in-flight.js';
import type { LocalTask } from '../../src/reconcile/types.js';

const run = (id: number, startedAt: number, finishedAt: number | null): RunRow => ({
  id,
  kind: 'sync',
  startedAt,
  finishedAt,
  outcome: finishedAt === null ? null : 'ok',
  counts: {},
  files: [],
  error: null,
});
const intent = (id: number, at: number, ref = `new:k${id}`): Intent => ({
  id,
  projectId: 'P',
  ref,
  parentId: null,
  afterId: null,
  text: `t${id}`,
  batch: 'b',
  at,
});
const item = (id: string, parentId: string | null = null): LocalTask => ({
  id,
  parentId,
  key: id,
  kind: 'task',
  text: id,
  completed: false,
  note: null,
  due: null,
  assignees: [],
  conflicts: [],
});

describe('createsInFlight', () => {
  const runs = [run(1, 0, null), run(2, 100, 200), run(3, 1000, null)]; // 3 is the current run

  it('keeps, for the grace time, the intents of a run that never finished; drops those of a finished one', () => {
    const stopped = intent(1, 50);
    const seen = intent(2, 150);
    const r = createsInFlight([stopped, seen], runs, 3, 1000);
    expect(r.waiting).toEqual([stopped]);
    expect(r.gone).toEqual([seen]);
    expect(createsInFlight([stopped], runs, 3, 50 + CREATE_GRACE_MS).gone).toEqual([stopped]);
  });

  it("treats the current run's own intents (a re-plan) as before: dropped", () => {
    expect(createsInFlight([intent(3, 1001)], runs, 3, 1002).gone).toHaveLength(1);
  });
});

describe('holdWaitingItems', () => {
  it('holds the item and its new children back; names a task Taskade has under one', () => {
    const local = [item('new:k1'), item('new:c', 'new:k1'), item('new:k2'), item('T9', 'new:k2'), item('T1')];
    const r = holdWaitingItems(local, [intent(1, 0), intent(2, 0)], new Set(['T9', 'T1']));
    expect(r.local.map((t) => t.id)).toEqual(['T9', 'T1']);
    expect(r.held.map((h) => [h.intent.id, h.item.id])).toEqual([
      [1, 'new:k1'],
      [2, 'new:k2'],
    ]);
    expect(r.inside.map((t) => t.id)).toEqual(['T9']);
  });

  it('holds an item moved in from another file (a foreign id, the ref new:<key>), not one brought back after a delete', () => {
    const moved = { ...item('A7'), key: 'line:4' };
    const restored = { ...item('T1'), key: 'line:9' };
    const local = [moved, item('X3', 'A7'), restored];
    const r = holdWaitingItems(local, [intent(1, 0, 'new:line:4'), intent(2, 0, 'new:line:9')], new Set(['T1']));
    // X3 came along from the other file too: it waits with A7.
    expect(r.local.map((t) => t.id)).toEqual(['T1']);
    expect(r.held.map((h) => h.item.id)).toEqual(['A7']);
    expect(r.inside).toEqual([]);
  });
});

describe('assigneeWritesInFlight', () => {
  const write = (taskId: string, from: string[], to: string[]): AssigneeWrite => ({
    projectId: 'P',
    taskId,
    from,
    to,
    at: 1,
  });
  const baseTask = (id: string, assignees: string[]): TaskRecord => ({
    id,
    parentId: null,
    kind: 'task',
    text: id,
    completed: false,
    note: null,
    due: null,
    assignees,
  });
  const remoteTask = (id: string, assignees: string[] | undefined): RemoteTaskRecord => ({
    ...baseTask(id, []),
    assignees,
  });

  it('a set between the one read and the one written is ours: the base takes it, the write is kept', () => {
    // {alice, bob} → {sim-owner}: alice deleted, then the run stopped.
    const w = write('t1', ['alice', 'bob'], ['sim-owner']);
    const out = assigneeWritesInFlight([baseTask('t1', ['alice', 'bob'])], [remoteTask('t1', ['bob'])], [w]);
    expect(out.base).toEqual([baseTask('t1', ['bob'])]);
    expect(out).toMatchObject({ ours: [w], stale: [] });
  });

  it('the range holds what both sets share: from ∩ to ⊆ set ⊆ from ∪ to', () => {
    const w = write('t1', ['alice', 'bob'], ['bob', 'sim-owner']);
    const verdict = (set: string[]) =>
      assigneeWritesInFlight([baseTask('t1', ['alice', 'bob'])], [remoteTask('t1', set)], [w]).ours.length === 1;
    expect(verdict(['alice', 'bob'])).toBe(true); // nothing applied yet
    expect(verdict(['bob'])).toBe(true); // alice deleted, the PUT not sent
    expect(verdict(['bob', 'sim-owner'])).toBe(true); // all of it
    expect(verdict(['alice', 'bob', 'sim-owner'])).toBe(true); // the PUT applied before a DELETE
    expect(verdict(['sim-owner'])).toBe(false); // bob, in both sets, is gone: someone else
    expect(verdict(['bob', 'carol'])).toBe(false); // carol is in neither
    expect(verdict([])).toBe(false);
  });

  it('a set outside the range makes the write stale; a task not in the list makes it missing; a set not read leaves it', () => {
    const base = [baseTask('t1', ['alice', 'bob']), baseTask('t2', ['alice', 'bob']), baseTask('t3', ['a', 'b'])];
    const writes = [write('t1', ['alice', 'bob'], []), write('t2', ['alice', 'bob'], []), write('t3', ['a', 'b'], [])];
    const out = assigneeWritesInFlight(base, [remoteTask('t1', ['carol']), remoteTask('t3', undefined)], writes);
    expect(out.base).toBe(base);
    expect(out.ours).toEqual([]);
    expect(out.stale).toEqual([writes[0]]);
    // Not stale: a list read in pages may miss a task that moved meanwhile (the caller drops it
    // once the base no longer holds the task).
    expect(out.missing).toEqual([writes[1]]);
  });
});
