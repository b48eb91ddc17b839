import { fieldEquals, type Field, type RemoteTaskRecord, type TaskValues } from '../model/task.js';
import type { RemoteOp } from './types.js';
import { inPlace, type TargetTree } from './target-tree.js';
import type { Views } from './views.js';

/**
 * The operations that turn the remote tree into the target. Walked in target pre-order, so a
 * parent and the previous sibling are in place (or created) before a task is put after them, and
 * a task is never moved under its own descendant (every ancestor already sits at its target place).
 * Deletes come last: whatever of a deleted subtree survives has been moved out by then.
 */
export function remoteOps(target: TargetTree, views: Views, remoteOrder: readonly RemoteTaskRecord[]): RemoteOp[] {
  const ops: RemoteOp[] = [];
  const name = (id: string | null) => (id === null ? null : (target.rename.get(id) ?? id));
  const keep = inPlace(target, views.remoteTree.children, views.remoteTree.parent);
  for (const id of target.order) {
    const parent = target.parent.get(id) ?? null;
    const after = target.previous.get(id) ?? null;
    const want = target.values.get(id)!;
    if (!views.remote.has(id)) {
      const ref = name(id)!;
      ops.push({
        op: 'create',
        ref,
        parent: name(parent),
        after: name(after),
        kind: target.kind.get(id)!,
        text: want.text,
      });
      if (want.completed) ops.push({ op: 'set-completed', id: ref, completed: true });
      if (want.note !== null) ops.push({ op: 'set-note', id: ref, note: want.note });
      if (want.due !== null) ops.push({ op: 'set-due', id: ref, due: { ...want.due } });
      if (want.assignees.length > 0)
        ops.push({ op: 'set-assignees', id: ref, assignees: [...want.assignees], previous: [] });
      continue;
    }
    if (views.remoteTree.parent.get(id) !== parent || !keep.has(id)) {
      ops.push({ op: 'move', id, parent: name(parent), after: name(after) });
    }
    ops.push(...fieldOps(id, views.remoteValues.get(id)!, want, target.frozen.get(id)));
  }
  for (const t of remoteOrder) {
    if (target.parent.has(t.id)) continue;
    if (t.parentId === null || target.parent.has(t.parentId)) ops.push({ op: 'delete', id: t.id });
  }
  return ops;
}

function fieldOps(id: string, have: TaskValues, want: TaskValues, frozen: Set<Field> | undefined): RemoteOp[] {
  const ops: RemoteOp[] = [];
  const differs = (f: Field) => !frozen?.has(f) && !fieldEquals(f, have[f], want[f]);
  if (differs('text')) ops.push({ op: 'update-text', id, text: want.text });
  if (differs('completed')) ops.push({ op: 'set-completed', id, completed: want.completed });
  if (differs('note')) ops.push({ op: 'set-note', id, note: want.note });
  if (differs('due')) ops.push({ op: 'set-due', id, due: want.due === null ? null : { ...want.due } });
  if (differs('assignees')) {
    ops.push({ op: 'set-assignees', id, assignees: [...want.assignees], previous: [...have.assignees] });
  }
  return ops;
}
