import type { ConflictMarker } from '../model/local-change.js';
import {
  FIELDS,
  fieldEquals,
  pickValues,
  type Field,
  type TaskKind,
  type TaskRecord,
  type TaskValues,
} from '../model/task.js';
import { localChanges } from './diff-local.js';
import { remoteOps } from './diff-remote.js';
import { checkGuard } from './guard.js';
import { checkPlanOptions } from './options.js';
import { mergeValues } from './merge-values.js';
import { carriedValues, holdForMoves, movedBesides, withoutMovedOut } from './moved.js';
import { chooseParents, effectiveBase, movedOn, orderChildren, otherSide, preOrder } from './positions.js';
import { previousSiblings, type TargetTree } from './target-tree.js';
import type { Conflict, LocalTask, PendingConflict, Plan, PlanInput, RemoteOp } from './types.js';
import { baseTree, buildViews } from './views.js';

/**
 * The three-way merge of one project: base (journal), local (file) and remote (Taskade) into the
 * list of actions for both sides. Pure and synchronous: it decides everything up front and the
 * engine only executes (vdirsyncer's `_get_actions`, changesets' `assembleReleasePlan`).
 *
 * Steps: identities (`views.ts`) → which tasks survive → where each one goes (`positions.ts`) →
 * its values (`merge-values.ts`) → the operations per side (`diff-remote.ts`, `diff-local.ts`)
 * → the deletion guard (`guard.ts`).
 *
 * Decisions where the issue leaves room:
 * - Edit beats delete. "Edited" = any field differs from the base, or the task moved (new parent,
 *   or out of the longest run of siblings that kept their order). The kept task's ancestors come
 *   back with it, and so does a node the other side deleted after a subtree was moved under it
 *   (the parent is restored, the subtree not re-homed). Unedited siblings follow the delete.
 * - Restored on Taskade = created anew: the ref is `new:<key>` of the file's item and `restored`
 *   maps the old id to it; the engine writes the new id into the item after the create. A task
 *   kept against a delete keeps its whole subtree on the side that kept it.
 * - Positions merge like a field; both sides moved a task differently → the winner's place,
 *   reported in `moveConflicts`, no marker. Loops made of both sides' moves are broken in favour
 *   of the winner (see `chooseParents`).
 * - No journal: ids in the text link first, then the same text under linked parents (first
 *   unclaimed sibling in order); differing fields are conflicts for the configured winner; the
 *   winner's position is kept; nothing is deleted. A link by content writes the id (`set-id`).
 * - Unread remote sub-resources: equal to the base; with no base entry, equal to the file.
 * - A pending conflict on a task that is gone or no longer on both sides is `resolved`.
 * - Markers in the file without a pending conflict are left as they are (not a conflict).
 * - A task moved to another linked file (`movedOut`) is not kept here by Taskade's edit or move
 *   of it (those go with it, `carried` on the other side), and what stays of its subtree here
 *   takes its place; it is deleted here once it was created there (`moved.ts`).
 */
export function plan(input: PlanInput): Plan {
  const { options } = input;
  checkPlanOptions(options);
  const winner = options.conflictWinner;
  const movedOut = input.movedOut ?? new Map<string, never>();
  const views = buildViews(input.base, input.local, input.remote);
  // Positions are merged without the tasks that left for another file (moved.ts).
  const placed = withoutMovedOut(views, movedOut);
  const base = effectiveBase(placed, otherSide(winner));
  const moved =
    movedOut.size === 0
      ? { local: movedOn(placed.localTree, base), remote: movedOn(placed.remoteTree, base) }
      : movedBesides(views, movedOut, otherSide(winner));

  // Survival: on both sides, new on one side, or deleted on one side but edited or moved on the
  // other (an edit beats a delete). Tasks gone from both sides are simply dropped.
  const keep = new Set<string>();
  for (const id of views.ids) {
    if (movedOut.has(id)) continue;
    const l = views.local.get(id);
    const r = views.remoteValues.get(id);
    const b = views.base.get(id);
    if ((l && r) || !b) keep.add(id);
    else if (l && (moved.local.has(id) || !sameValues(l, b))) keep.add(id);
    else if (r && (moved.remote.has(id) || !sameValues(r, b))) keep.add(id);
  }
  // A task kept against a delete keeps its subtree on the side that kept it: the delete was of
  // the whole subtree, and the edit beats it for all of it (the task comes back with its children).
  // An item moved in from another file whose task Taskade deleted there is one too (its move beat
  // that delete): its file subtree comes back here with it, this project's tasks in it included.
  const keptAcross = (id: string): boolean => {
    const l = views.local.get(id);
    return l !== undefined && input.carried?.get(l.key)?.remote === null;
  };
  for (const id of [...keep]) {
    if (!views.base.has(id) && !keptAcross(id)) continue;
    const tree = !views.local.has(id) ? views.remoteTree : !views.remote.has(id) ? views.localTree : null;
    if (tree === null) continue;
    const stack = [...(tree.children.get(id) ?? [])];
    while (stack.length > 0) {
      const child = stack.pop()!;
      keep.add(child);
      stack.push(...(tree.children.get(child) ?? []));
    }
  }
  for (const id of movedOut.keys()) keep.delete(id);
  const { parent, moveConflicts } = chooseParents(placed, base, moved, winner);
  // A kept task keeps its ancestors: a deleted parent is restored rather than its edited (or
  // moved-in) child orphaned.
  for (const id of [...keep]) {
    for (let p = parent.get(id) ?? null; p !== null && !keep.has(p); p = parent.get(p) ?? null) keep.add(p);
  }
  const children = orderChildren(placed, base, parent, keep, winner);
  const order: string[] = preOrder({ parent, children });

  const pendingByTask = new Map<string, PendingConflict[]>();
  for (const p of input.pending) pendingByTask.set(p.taskId, [...(pendingByTask.get(p.taskId) ?? []), p]);
  const target: TargetTree = {
    order,
    parent: new Map(order.map((id) => [id, parent.get(id) ?? null])),
    children,
    previous: previousSiblings(children),
    values: new Map(),
    kind: new Map(),
    frozen: new Map(),
    markers: new Map(),
    rename: new Map(),
  };
  const conflicts: Conflict[] = [];
  const stillPending: PendingConflict[] = [];
  const resolved: Array<{ taskId: string; field: Field }> = [];
  for (const id of order) {
    const l = views.local.get(id);
    const r = views.remoteValues.get(id);
    const b = views.base.get(id);
    target.kind.set(id, kindOf(l?.kind, b?.kind));
    const carried = l === undefined ? undefined : input.carried?.get(l.key);
    if (l && carried) {
      // From another file: its task there is the remote side; created here unless this project
      // has it already (a create whose answer was lost, adopted).
      const merged = carriedValues(id, l, carried, winner);
      target.values.set(id, merged.values);
      conflicts.push(...merged.conflicts);
      if (merged.markers.length > 0) target.markers.set(id, withMarkers(l.conflicts, merged.markers));
    } else if (l && r) {
      const merged = mergeValues(id, b, l, r, pendingByTask.get(id) ?? [], winner);
      target.values.set(id, merged.values);
      if (merged.frozen.size > 0) target.frozen.set(id, merged.frozen);
      conflicts.push(...merged.conflicts);
      stillPending.push(...merged.stillPending);
      resolved.push(...merged.resolved.map((field) => ({ taskId: id, field })));
      if (merged.markers.length > 0) target.markers.set(id, withMarkers(l.conflicts, merged.markers));
      pendingByTask.delete(id);
    } else {
      target.values.set(id, pickValues((l ?? r)!));
      // Deleted remotely, kept for a local edit: it comes back as a new Taskade task.
      if (l && !views.remote.has(id) && views.base.has(id)) target.rename.set(id, `new:${l.key}`);
    }
  }
  // Pending conflicts of tasks that are gone, or no longer on both sides, end here.
  // (A task moved to another file keeps them until it is created there.)
  for (const [taskId, list] of pendingByTask) {
    if (!movedOut.has(taskId)) resolved.push(...list.map(({ field }) => ({ taskId, field })));
  }

  const { ops: remote, held } = holdForMoves(
    remoteOps(target, views, input.remote),
    views.remoteTree,
    (id) => target.parent.has(id),
    movedOut,
  );
  const local = localChanges(target, views);
  // Tasks that went to another file are neither here nor deleted: the guard does not count them.
  const guard = checkGuard(
    {
      baseSize: placed.base.size,
      localSize: input.local.length,
      remoteSize: input.remote.length - input.remote.filter((r) => movedOut.has(r.id)).length,
      localDeletes: [...views.local.keys()].filter((id) => !keep.has(id)).length,
      remoteDeletes: [...views.remote.keys()].filter((id) => !keep.has(id) && !movedOut.has(id)).length,
    },
    options,
  );
  const records = order.map((id) => targetRecord(target, id));
  if (guard !== null && !options.force) {
    return {
      remote: [],
      local: [],
      conflicts: [],
      moveConflicts: [],
      resolved: [],
      stillPending: [...input.pending],
      restored: [],
      held: [],
      carried: [],
      target: (input.base ?? []).map((t) => ({ ...t, ...pickValues(t) })),
      guard,
      stats: { creates: 0, updates: 0, moves: 0, deletes: 0, localChanges: 0 },
    };
  }
  return {
    remote,
    local,
    conflicts,
    moveConflicts,
    resolved,
    stillPending,
    restored: [...target.rename].map(([id, ref]) => ({ id, ref })),
    held,
    carried: [...views.local]
      .filter(([id, l]) => input.carried?.has(l.key) === true && target.parent.has(id))
      .map(([id, l]) => ({ key: l.key, id: target.rename.get(id) ?? id })),
    target: records,
    guard,
    stats: { ...countOps(remote), localChanges: local.length },
  };
}

/**
 * Of `ids` (tasks of the base the file holds), those the file edited or moved — the survival rule
 * of `plan` on the file's side, which keeps such a task against Taskade's delete with its whole
 * file subtree (rather than only as the ancestor of a kept task). Read from the base and the file
 * alone, before anything else of the pass (reconcile/adopt.ts).
 */
export function editedInFile(base: TaskRecord[], local: LocalTask[], ids: ReadonlySet<string>): Set<string> {
  const views = buildViews(base, local, []);
  const moved = movedOn(views.localTree, baseTree(views.base));
  const edited = new Set<string>();
  for (const id of ids) {
    const l = views.local.get(id);
    const b = views.base.get(id);
    if (l !== undefined && b !== undefined && (moved.has(id) || !sameValues(l, b))) edited.add(id);
  }
  return edited;
}

function sameValues(a: TaskValues, b: TaskValues): boolean {
  return FIELDS.every((f) => fieldEquals(f, a[f], b[f]));
}

/** The kind is local knowledge: the file's, else the journal's; a task new from Taskade is a task. */
function kindOf(local: TaskKind | undefined, base: TaskKind | undefined): TaskKind {
  return local ?? base ?? 'task';
}

/** The item's markers after this run: earlier ones on other fields stay, this run's replace. */
function withMarkers(current: readonly ConflictMarker[], fresh: readonly ConflictMarker[]): ConflictMarker[] {
  const byField = new Map<Field, ConflictMarker>();
  for (const m of current) byField.set(m.field, m);
  for (const m of fresh) byField.set(m.field, m);
  return FIELDS.flatMap((f) => {
    const m = byField.get(f);
    return m ? [m] : [];
  });
}

function targetRecord(target: TargetTree, id: string): TaskRecord {
  const name = (x: string | null) => (x === null ? null : (target.rename.get(x) ?? x));
  return {
    id: name(id)!,
    parentId: name(target.parent.get(id) ?? null),
    kind: target.kind.get(id)!,
    ...pickValues(target.values.get(id)!),
  };
}

function countOps(ops: readonly RemoteOp[]): Omit<Plan['stats'], 'localChanges'> {
  const stats = { creates: 0, updates: 0, moves: 0, deletes: 0 };
  for (const op of ops) {
    if (op.op === 'create') stats.creates++;
    else if (op.op === 'move') stats.moves++;
    else if (op.op === 'delete') stats.deletes++;
    else stats.updates++;
  }
  return stats;
}
