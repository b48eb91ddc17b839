import type { LocalChange, NewItem } from '../model/local-change.js';
import { FIELDS, fieldEquals, pickValues, type Field, type TaskValues } from '../model/task.js';
import { inPlace, type TargetTree } from './target-tree.js';
import type { Views } from './views.js';

/** Outline key given to an item the planner inserts (a task that came from Taskade). */
export function insertedKey(remoteId: string): string {
  return `remote:${remoteId}`;
}

/**
 * The changes that turn the file's outline into the target, in the same walk as `remoteOps`:
 * target pre-order for inserts, moves and value changes, removes last. A task new to the file is
 * inserted with its whole subtree when none of that subtree is in the file yet; otherwise items
 * are inserted one by one and existing ones moved in beside them.
 */
export function localChanges(target: TargetTree, views: Views): LocalChange[] {
  const changes: LocalChange[] = [];
  const keyOf = (id: string | null) => (id === null ? null : (views.local.get(id)?.key ?? insertedKey(id)));
  const keep = inPlace(target, views.localTree.children, views.localTree.parent);
  const wholeNew = new Map<string, boolean>();
  const isWholeNew = (id: string): boolean => {
    let known = wholeNew.get(id);
    if (known === undefined) {
      known = !views.local.has(id) && (target.children.get(id) ?? []).every(isWholeNew);
      wholeNew.set(id, known);
    }
    return known;
  };
  const itemOf = (id: string): NewItem => ({
    key: insertedKey(id),
    id,
    kind: target.kind.get(id)!,
    values: pickValues(target.values.get(id)!),
    children: isWholeNew(id) ? (target.children.get(id) ?? []).map(itemOf) : [],
  });
  const inserted = new Set<string>();
  for (const id of target.order) {
    const parent = target.parent.get(id) ?? null;
    if (parent !== null && inserted.has(parent) && isWholeNew(parent)) {
      inserted.add(id);
      continue;
    }
    const after = target.previous.get(id) ?? null;
    const local = views.local.get(id);
    if (local === undefined) {
      changes.push({ type: 'insert', item: itemOf(id), parent: keyOf(parent), after: keyOf(after) });
      inserted.add(id);
      continue;
    }
    if (views.localTree.parent.get(id) !== parent || !keep.has(id)) {
      changes.push({ type: 'move', key: local.key, parent: keyOf(parent), after: keyOf(after) });
    }
    if (views.linkedByContent.has(id)) changes.push({ type: 'set-id', key: local.key, id });
    const values = changedValues(local, target.values.get(id)!, target.frozen.get(id));
    if (values !== null) changes.push({ type: 'update', key: local.key, values });
    const markers = target.markers.get(id);
    if (markers !== undefined) changes.push({ type: 'set-conflicts', key: local.key, conflicts: markers });
  }
  // views.local keeps the file's order.
  for (const [id, t] of views.local) {
    if (target.parent.has(id)) continue;
    const parent = views.localTree.parent.get(id) ?? null;
    if (parent === null || target.parent.has(parent)) changes.push({ type: 'remove', key: t.key });
  }
  return changes;
}

function changedValues(have: TaskValues, want: TaskValues, frozen: Set<Field> | undefined): Partial<TaskValues> | null {
  const copy = pickValues(want);
  const out: Partial<TaskValues> = {};
  const take = <F extends Field>(f: F): void => {
    out[f] = copy[f];
  };
  for (const f of FIELDS) if (!frozen?.has(f) && !fieldEquals(f, have[f], want[f])) take(f);
  return Object.keys(out).length > 0 ? out : null;
}
