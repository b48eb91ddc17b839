import type { LocalChange } from '../../../src/model/local-change.js';
import { NEW_ID_PREFIX, type RemoteTaskRecord, type TaskRecord } from '../../../src/model/task.js';
import { plan, type LocalTask, type Plan, type PlanInput } from '../../../src/reconcile/index.js';
import { applyLocal, applyRemote, type FullRemote } from './apply.js';

/** The remote side with unread sub-resources filled in as they are (by default: as in the base). */
export function fullRemote(input: PlanInput): FullRemote[] {
  const base = new Map((input.base ?? []).map((t) => [t.id, t]));
  return input.remote.map((t) => ({
    ...t,
    note: t.note !== undefined ? t.note : (base.get(t.id)?.note ?? null),
    due: t.due !== undefined ? t.due : (base.get(t.id)?.due ?? null),
    assignees: t.assignees !== undefined ? t.assignees : (base.get(t.id)?.assignees ?? []),
  }));
}

export interface Applied {
  /** The file after the plan and after the engine wrote back the ids of created tasks. */
  local: LocalTask[];
  remote: FullRemote[];
  /** `plan.target` with create refs replaced by the ids the applier gave them. */
  target: TaskRecord[];
}

/** Apply a plan to both sides as the engine would, including the `set-id` after each create. */
export function applyPlan(input: PlanInput, result: Plan, actualRemote: FullRemote[] = fullRemote(input)): Applied {
  let n = 0;
  const { tasks: remote, refs } = applyRemote(actualRemote, result.remote, () => `created-${++n}`);
  // The engine's part after each create: write the new id into the item the ref names.
  const setIds: LocalChange[] = [];
  const keys = new Set(input.local.map((t) => t.key));
  for (const [ref, id] of refs) {
    const key = ref.slice(NEW_ID_PREFIX.length);
    if (keys.has(key)) setIds.push({ type: 'set-id', key, id });
  }
  const local = applyLocal(input.local, [...result.local, ...setIds]);
  const real = (id: string | null) => (id === null ? null : (refs.get(id) ?? id));
  const target = result.target.map((t) => ({ ...t, id: real(t.id)!, parentId: real(t.parentId) }));
  return { local, remote, target };
}

export function asRemoteRecords(tasks: readonly FullRemote[]): RemoteTaskRecord[] {
  return tasks.map((t) => ({ ...t }));
}

/** Comparable shapes: what a side holds, without what it cannot know (kind on Taskade, keys). */
export function remoteShape(tasks: readonly (FullRemote | TaskRecord)[]): unknown[] {
  return tasks.map((t) => ({
    id: t.id,
    parentId: t.parentId,
    text: t.text,
    completed: t.completed,
    note: t.note,
    due: t.due,
    assignees: t.assignees,
  }));
}

export function localShape(tasks: readonly (LocalTask | TaskRecord)[]): unknown[] {
  return tasks.map((t) => ({ ...(remoteShape([t])[0] as object), kind: t.kind }));
}

/** The next run after applying `result`: with every conflict of this run pending. */
export function replan(input: PlanInput, result: Plan, applied: Applied): Plan {
  return plan({
    base: applied.target,
    local: applied.local,
    remote: asRemoteRecords(applied.remote),
    pending: [
      ...result.stillPending,
      ...result.conflicts.map(({ taskId, field, winner }) => ({ taskId, field, winner })),
    ],
    options: input.options,
  });
}
