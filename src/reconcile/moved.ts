/**
 * Tasks that change files (issue 9, "Identity that survives"): an item cut from one linked file
 * and pasted, with its `^tk-` id, into another. Taskade v1 cannot move a task between projects,
 * so the task is created in the new file's project with every field, and deleted from the old
 * one only once that succeeded — a run stopped in between leaves it in both, never in neither.
 *
 * Each project's plan sees one half. The old project's plan gets the task as `movedOut`: it is
 * neither deleted (until it was created on the other side: `created`) nor kept by an edit or a
 * move Taskade made (that edit goes with the task), and the base keeps its rows meanwhile. The new
 * project's plan gets the item as `carried`: a task both sides hold, whose remote side is the old
 * project's task, merged field by field over the old project's base row (an edit in Taskade since
 * the last sync comes along, both sides' edits are a conflict as anywhere), and created here.
 */
import { pickValues, type Field, type TaskRecord, type TaskValues } from '../model/task.js';
import { insertionIndex } from './adopt.js';
import { mergeValues, type ValueMerge } from './merge-values.js';
import { effectiveBase, movedOn } from './positions.js';
import type { RemoteOp } from './types.js';
import type { LocalTask } from './types.js';
import type { Side, TreeView, Views } from './views.js';

/**
 * Tasks of this project whose items now sit in another linked file: `waiting` until they are
 * created in that file's project, `created` once they are (this run).
 */
export type MovedOut = ReadonlyMap<string, 'waiting' | 'created'>;

/** An item that came from another linked file, with its task there. */
export interface Carried {
  /** The other project's base row of the task (null: none). */
  base: TaskRecord | null;
  /** The task as the other project holds it now, every field read (null: Taskade deleted it there). */
  remote: TaskValues | null;
  /** Its fields with a conflict pending there (the marker came along in the item's line). */
  pending: readonly Field[];
}

/**
 * The views the positions are merged in: the moved-out tasks are gone from the remote tree and
 * the base, and what stays of their subtrees takes their place (their children in their slot).
 * Their place no longer matters here, so a reorder Taskade made around them is not read as their
 * move (which would beat the file's "delete" and keep them in both projects).
 */
export function withoutMovedOut(views: Views, movedOut: MovedOut): Views {
  if (movedOut.size === 0) return views;
  const lift = (parent: (id: string) => string | null | undefined) => {
    const up = (id: string | null): string | null => {
      let p = id;
      while (p !== null && movedOut.has(p)) p = parent(p) ?? null;
      return p;
    };
    return up;
  };
  const upRemote = lift((id) => views.remoteTree.parent.get(id));
  const remoteTree: TreeView = { parent: new Map(), children: new Map() };
  for (const id of preOrderOf(views.remoteTree)) {
    if (movedOut.has(id)) continue;
    const p = upRemote(views.remoteTree.parent.get(id) ?? null);
    remoteTree.parent.set(id, p);
    remoteTree.children.set(p, [...(remoteTree.children.get(p) ?? []), id]);
  }
  const upBase = lift((id) => views.base.get(id)?.parentId);
  const base = new Map<string, TaskRecord>();
  for (const [id, row] of views.base) {
    if (movedOut.has(id)) continue;
    const p = upBase(row.parentId);
    base.set(id, p === row.parentId ? row : { ...row, parentId: p });
  }
  return { ...views, base, remoteTree };
}

/**
 * Which tasks moved on each side, as `movedOn` reads it, with the moved-out tasks left out of
 * the sibling order: a reorder around them is no move of theirs or of their siblings, while a task
 * Taskade moved out of one (or into one) did move — a move is an edit, and beats a delete.
 */
export function movedBesides(views: Views, movedOut: MovedOut, loser: Side): Record<Side, Set<string>> {
  const base = effectiveBase(views, loser);
  const include = (id: string): boolean => !movedOut.has(id);
  return { local: movedOn(views.localTree, base, include), remote: movedOn(views.remoteTree, base, include) };
}

/**
 * The deletes a plan may send while tasks wait to be created in another project: a delete whose
 * subtree (as Taskade holds it) contains a waiting task is held back, since it would take that
 * task along before it exists elsewhere. `held` names the tasks whose base rows stay as stored:
 * the waiting ones and what the held deletes would have removed.
 */
export function holdForMoves(
  ops: readonly RemoteOp[],
  remoteTree: TreeView,
  inTarget: (id: string) => boolean,
  movedOut: MovedOut,
): { ops: RemoteOp[]; held: string[] } {
  const waiting = [...movedOut].filter(([, state]) => state === 'waiting').map(([id]) => id);
  if (waiting.length === 0) return { ops: [...ops], held: [] };
  const held = new Set(waiting);
  const out: RemoteOp[] = [];
  for (const op of ops) {
    if (op.op !== 'delete') {
      out.push(op);
      continue;
    }
    const subtree = subtreeOf(remoteTree, op.id);
    if (!subtree.some((id) => movedOut.get(id) === 'waiting')) {
      out.push(op);
      continue;
    }
    for (const id of subtree) if (!inTarget(id)) held.add(id);
  }
  return { ops: out, held: [...held] };
}

/**
 * The values of a carried item: the three-way merge of the file's item with the other project's
 * task over that project's base row (`mergeValues`); when Taskade deleted it there, the file's
 * values (a move is an edit, and an edit beats a delete). A field with a conflict pending there
 * is the file's: both sides held the winner when the conflict was kept, and the conflict goes to
 * the new task with its marker (or, the marker removed, the file's value is its resolution).
 */
export function carriedValues(id: string, local: LocalTask, carried: Carried, winner: 'local' | 'remote'): ValueMerge {
  if (carried.remote === null) {
    return { values: pickValues(local), frozen: new Set(), conflicts: [], markers: [], stillPending: [], resolved: [] };
  }
  const merged = mergeValues(id, carried.base ?? undefined, local, carried.remote, [], winner);
  if (carried.pending.length === 0) return merged;
  const pending = new Set(carried.pending);
  const values = { ...merged.values };
  for (const f of pending) (values as Record<Field, unknown>)[f] = pickValues(local)[f];
  return {
    ...merged,
    values,
    conflicts: merged.conflicts.filter((c) => !pending.has(c.field)),
    markers: merged.markers.filter((m) => !pending.has(m.field)),
  };
}

function subtreeOf(tree: TreeView, root: string): string[] {
  const out = [root];
  for (let i = 0; i < out.length; i += 1) out.push(...(tree.children.get(out[i]!) ?? []));
  return out;
}

function preOrderOf(tree: TreeView): string[] {
  const out: string[] = [];
  const visit = (parent: string | null): void => {
    for (const id of tree.children.get(parent) ?? []) {
      out.push(id);
      visit(id);
    }
  };
  visit(null);
  return out;
}

/**
 * The base after a pass, with the rows `held` (see `holdForMoves`) back as they were stored: each
 * after its previous sibling of the old base, under its old parent (or the nearest ancestor still
 * there), so the other project's pass merges over them and a later pass here finds them in place.
 */
export function keepHeldRows(
  next: readonly TaskRecord[],
  old: readonly TaskRecord[] | null,
  held: readonly string[],
): TaskRecord[] {
  if (held.length === 0 || old === null) return [...next];
  const wanted = new Set(held);
  const oldById = new Map(old.map((r) => [r.id, r] as const));
  const rows = [...next];
  const parentNow = new Map(rows.map((r) => [r.id, r.parentId] as const));
  for (const row of old) {
    if (!wanted.has(row.id) || parentNow.has(row.id)) continue;
    let parent = row.parentId;
    while (parent !== null && !parentNow.has(parent)) parent = oldById.get(parent)?.parentId ?? null;
    const siblings = old.filter((r) => r.parentId === row.parentId);
    const before = siblings
      .slice(0, siblings.indexOf(row))
      .reverse()
      .find((r) => parentNow.has(r.id) && parentNow.get(r.id) === parent);
    rows.splice(insertionIndex(rows, parent, before?.id ?? null), 0, { ...row, parentId: parent });
    parentNow.set(row.id, parent);
  }
  return rows;
}
