import type { Intent, RunRow } from '../journal/index.js';
import { isNewId } from '../model/task.js';
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
 * cannot be created without them). An item with a child Taskade already has is left in: holding
 * it back would read as that child's deletion; it is created again, as before.
 */
export function holdWaitingItems(
  local: readonly LocalTask[],
  waiting: readonly Intent[],
): { local: LocalTask[]; held: LocalTask[]; released: Intent[] } {
  const children = new Map<string | null, LocalTask[]>();
  for (const t of local) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t]);
  const subtree = (t: LocalTask): LocalTask[] => [t, ...(children.get(t.id) ?? []).flatMap(subtree)];
  const held = new Set<LocalTask>();
  const released: Intent[] = [];
  for (const intent of waiting) {
    const item = local.find((t) => t.id === intent.ref && isNewId(t.id));
    const items = item === undefined ? [] : subtree(item);
    if (item === undefined || items.some((t) => !isNewId(t.id))) {
      if (item !== undefined) released.push(intent);
      continue;
    }
    for (const t of items) held.add(t);
  }
  return { local: local.filter((t) => !held.has(t)), held: [...held], released };
}
