import { describe, expect, it } from 'vitest';
import type { Intent, RunRow } from '../../src/journal/index.js';
import { CREATE_GRACE_MS, createsInFlight, holdWaitingItems } from '../../src/reconcile/in-flight.js';
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
  it('holds the item and its new children back; an item with a child Taskade has is released', () => {
    const local = [item('new:k1'), item('new:c', 'new:k1'), item('new:k2'), item('T9', 'new:k2'), item('T1')];
    const r = holdWaitingItems(local, [intent(1, 0), intent(2, 0)]);
    expect(r.local.map((t) => t.id)).toEqual(['new:k2', 'T9', 'T1']);
    expect(r.held.map((t) => t.id)).toEqual(['new:k1', 'new:c']);
    expect(r.released.map((i) => i.id)).toEqual([2]);
  });
});
