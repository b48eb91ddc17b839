import { isNewId } from '../model/task.js';
import type { RemoteOp } from './types.js';

/**
 * Reorders the planner's remote operations so creates batch well, without breaking any
 * dependency the planner's order guarantees:
 * 1. Sub-resource ops on tasks created in this run (complete, note, date, assignees of a `new:`
 *    ref) go last: they depend only on their create, and nothing depends on them.
 * 2. Within each run of consecutive creates, a stable sort by depth in that run puts the new
 *    siblings of one parent next to each other (parents stay before children; a sibling stays
 *    after the sibling it is placed after). A create request takes tasks under any parents
 *    (apply-remote's takeCreateBatch), so a new tree of N tasks costs at most ⌈n/20⌉ creates per
 *    tree level of n tasks (often ⌈N/20⌉ in all), not one request per parent.
 */
export function scheduleOps(ops: readonly RemoteOp[]): RemoteOp[] {
  const onNew = (op: RemoteOp): boolean =>
    (op.op === 'set-completed' || op.op === 'set-note' || op.op === 'set-due' || op.op === 'set-assignees') &&
    isNewId(op.id);
  const main = ops.filter((op) => !onNew(op));
  const deferred = ops.filter(onNew);
  const out: RemoteOp[] = [];
  let i = 0;
  while (i < main.length) {
    if (main[i]!.op !== 'create') {
      out.push(main[i]!);
      i += 1;
      continue;
    }
    let j = i;
    while (j < main.length && main[j]!.op === 'create') j += 1;
    out.push(...byDepth(main.slice(i, j) as Array<Extract<RemoteOp, { op: 'create' }>>));
    i = j;
  }
  return [...out, ...deferred];
}

function byDepth(run: Array<Extract<RemoteOp, { op: 'create' }>>): RemoteOp[] {
  const depth = new Map<string, number>();
  for (const c of run) depth.set(c.ref, c.parent !== null && depth.has(c.parent) ? depth.get(c.parent)! + 1 : 0);
  return run
    .map((c, index) => ({ c, index }))
    .sort((a, b) => depth.get(a.c.ref)! - depth.get(b.c.ref)! || a.index - b.index)
    .map((x) => x.c);
}
