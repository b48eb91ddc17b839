import type { AssigneeWrite, Intent, RunRow } from '../journal/index.js';
import { isNewId, NEW_ID_PREFIX, type RemoteTaskRecord, type TaskRecord } from '../model/task.js';
import type { LocalTask } from './types.js';

/**
 * How long a create sent by a run that stopped (killed, the machine slept) may still be applied
 * by Taskade after the process is gone. The client gives a request 30 s; a request already on its
 * way is applied within that. Two minutes leaves room for a slow server.
 */
export const CREATE_GRACE_MS = 120_000;

/**
 * Intents whose task the remote list does not show (yet). A create whose run finished saw its
 * own failure, and the intent is dropped as before. A create sent by a run that never finished
 * (its row in the run log has no end) may still land: dropping it and creating the item again
 * would make the task twice. Such an intent is kept (`waiting`) for CREATE_GRACE_MS after it was
 * sent; the next read adopts the task if it landed.
 */
export function createsInFlight(
  unmatched: readonly Intent[],
  runs: readonly RunRow[],
  currentRunId: number | null,
  now: number,
): { waiting: Intent[]; gone: Intent[] } {
  const waiting: Intent[] = [];
  const gone: Intent[] = [];
  // Newest first: the run an intent belongs to is the last one started before it was written.
  const byStart = [...runs].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  for (const intent of unmatched) {
    const run = byStart.find((r) => r.startedAt <= intent.at);
    const stopped = run !== undefined && run.id !== currentRunId && run.finishedAt === null;
    (stopped && now - intent.at < CREATE_GRACE_MS ? waiting : gone).push(intent);
  }
  return { waiting, gone };
}

/**
 * The local view without the items whose create may still land (and their new children, which
 * cannot be created without them), so that nothing creates them again meanwhile. The item is the
 * intent's: a new item (its `new:` id), or one moved in from another linked file (its id is
 * foreign here, the create's ref is `new:<key>`); its subtree's new and foreign items wait with it.
 *
 * A task this project knows (`known`: the base or Taskade's list) inside a held subtree cannot
 * wait with it (holding it back would read as its deletion) nor stay where the file has it (under
 * a task Taskade does not have yet): those are `inside`, and the caller leaves the whole file
 * alone until the create lands or is given up.
 *
 * A task brought back after a delete in Taskade (its item keeps the old id, which the base knows)
 * is not held: it is planned again, as before.
 */
export function holdWaitingItems(
  local: readonly LocalTask[],
  waiting: readonly Intent[],
  known: ReadonlySet<string>,
): { local: LocalTask[]; held: Array<{ intent: Intent; item: LocalTask }>; inside: LocalTask[] } {
  const children = new Map<string | null, LocalTask[]>();
  for (const t of local) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t]);
  const heldItems = new Set<LocalTask>();
  const held: Array<{ intent: Intent; item: LocalTask }> = [];
  const inside: LocalTask[] = [];
  for (const intent of waiting) {
    const item = local.find(
      (t) =>
        !heldItems.has(t) &&
        ((isNewId(t.id) && t.id === intent.ref) || (!known.has(t.id) && intent.ref === `${NEW_ID_PREFIX}${t.key}`)),
    );
    if (item === undefined) continue;
    held.push({ intent, item });
    const stack = [item];
    while (stack.length > 0) {
      const t = stack.pop()!;
      heldItems.add(t);
      for (const c of children.get(t.id) ?? []) (known.has(c.id) ? inside : stack).push(c);
    }
  }
  return { local: local.filter((t) => !heldItems.has(t)), held, inside };
}

/**
 * Assignee writes of earlier runs that may have stopped halfway. Such a write is one DELETE per
 * handle that goes, then one PUT of the whole set (engine/apply-remote.ts): cut anywhere — killed,
 * a 429 storm, an answer lost after Taskade applied it — it leaves Taskade with a set that holds
 * what `from` and `to` share and nothing outside them (from ∩ to ⊆ remote ⊆ from ∪ to), whether
 * Taskade's PUT replaces the set or adds to it (CONTRACT §3.14, §9.9 leave that open). Read as a
 * remote edit, that set would be a conflict the half-written value wins.
 *
 * So a task whose set read now lies in that range is taken as holding our own unfinished write:
 * its base set becomes the set read (the remote side unchanged, the file's set goes up, on top of
 * what is there). A set outside the range was changed since by someone else: the write is `stale`
 * (dropped), and the three-way merge sees the remote edit as usual — as it does for a set inside
 * the range that someone else chose, which this cannot tell apart. The writes found (`ours`) end
 * there: the caller stores the base with the set read and drops them (engine/gather.ts).
 *
 * A task missing from the list is `missing`, not stale: a list read in several pages may miss a
 * task that moved while it was read (engine/sync-file.ts reads it again before restoring one), so
 * its write ends only once the base no longer holds the task.
 */
export function assigneeWritesInFlight(
  base: TaskRecord[] | null,
  remote: readonly RemoteTaskRecord[],
  writes: readonly AssigneeWrite[],
): { base: TaskRecord[] | null; ours: AssigneeWrite[]; stale: AssigneeWrite[]; missing: AssigneeWrite[] } {
  const ours: AssigneeWrite[] = [];
  const stale: AssigneeWrite[] = [];
  const missing: AssigneeWrite[] = [];
  const found = new Map<string, string[]>();
  const remoteById = new Map(remote.map((r) => [r.id, r] as const));
  for (const w of writes) {
    const r = remoteById.get(w.taskId);
    if (r === undefined) {
      missing.push(w);
      continue;
    }
    // Not read (the caller reads them): nothing known, the write waits for a run that reads it.
    if (r.assignees === undefined) continue;
    if (between(w.from, w.to, r.assignees)) {
      ours.push(w);
      found.set(w.taskId, r.assignees);
    } else stale.push(w);
  }
  if (base === null || found.size === 0) return { base, ours, stale, missing };
  return {
    base: base.map((b) => {
      const set = found.get(b.id);
      return set === undefined ? b : { ...b, assignees: [...set] };
    }),
    ours,
    stale,
    missing,
  };
}

/** from ∩ to ⊆ set ⊆ from ∪ to */
function between(from: readonly string[], to: readonly string[], set: readonly string[]): boolean {
  const has = new Set(set);
  return from.every((h) => !to.includes(h) || has.has(h)) && set.every((h) => from.includes(h) || to.includes(h));
}
