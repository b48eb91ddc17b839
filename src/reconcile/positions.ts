import { SyncError } from '../model/errors.js';
import type { MoveConflict } from './types.js';
import { stableSubsequence } from './stable-order.js';
import type { Side, TreeView, Views } from './views.js';
import { baseTree } from './views.js';

/**
 * Positions (parent and place among siblings) merged three-way, like a field: a task that moved on
 * one side only takes that side's place; moved on both to different places, the winner's place.
 * "Moved" is decided by `movedOn`: reparented, new, or outside the longest run of siblings that
 * kept their base order.
 */

export function otherSide(side: Side): Side {
  return side === 'local' ? 'remote' : 'local';
}

/** Pre-order ids of a tree view. */
export function preOrder(tree: TreeView): string[] {
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
 * The base used for positions. Tasks both sides hold but the base lacks (no journal, or a
 * journal that missed a create) get the loser's place as their base place, so the winner's place
 * reads as the one change and wins, while the loser's other items still find their anchors.
 */
export function effectiveBase(views: Views, loser: Side): TreeView {
  const tree = baseTree(views.base);
  const loserTree = loser === 'local' ? views.localTree : views.remoteTree;
  for (const id of preOrder(loserTree)) {
    if (views.base.has(id) || !views.local.has(id) || !views.remote.has(id)) continue;
    const parent = loserTree.parent.get(id) ?? null;
    const siblings = loserTree.children.get(parent) ?? [];
    const list = tree.children.get(parent) ?? [];
    // After the nearest preceding loser sibling that already has a base place.
    let at = 0;
    for (let i = siblings.indexOf(id) - 1; i >= 0; i--) {
      const k = list.indexOf(siblings[i]!);
      if (k >= 0) {
        at = k + 1;
        break;
      }
    }
    list.splice(at, 0, id);
    tree.children.set(parent, list);
    tree.parent.set(id, parent);
  }
  return tree;
}

/** Ids (among `include`d ones) that moved on a side relative to the base. */
export function movedOn(side: TreeView, base: TreeView, include: (id: string) => boolean = () => true): Set<string> {
  const moved = new Set<string>();
  for (const [parent, kids] of side.children) {
    const now = kids.filter((id) => include(id) && base.parent.get(id) === parent);
    const before = (base.children.get(parent) ?? []).filter((id) => include(id) && side.parent.get(id) === parent);
    const stable = stableSubsequence(before, now);
    for (const id of kids) if (include(id) && !stable.has(id)) moved.add(id);
  }
  return moved;
}

function previousSibling(tree: TreeView, id: string): string | null {
  const siblings = tree.children.get(tree.parent.get(id) ?? null) ?? [];
  const i = siblings.indexOf(id);
  return i > 0 ? siblings[i - 1]! : null;
}

export interface ParentChoice {
  parent: Map<string, string | null>;
  moveConflicts: MoveConflict[];
}

/**
 * The merged parent of every task either side holds, free of cycles. Each side's tree is a tree,
 * but taking some parents from one side and some from the other can close a loop (A moved under B
 * here, B under A there). A loop always holds a task on both sides whose parent came from the
 * loser (a loop of winner parents would be a loop in the winner's tree; a loop of tasks only the
 * loser holds would be one in the loser's tree), so each loop is broken by giving that task the
 * winner's parent. Every break turns one loser-sourced parent into a winner one, so it ends after
 * at most that many breaks.
 */
export function chooseParents(
  views: Views,
  base: TreeView,
  moved: Record<Side, Set<string>>,
  winner: Side,
): ParentChoice {
  const trees: Record<Side, TreeView> = { local: views.localTree, remote: views.remoteTree };
  const parent = new Map<string, string | null>();
  const fromLoser = new Set<string>();
  const moveConflicts: MoveConflict[] = [];
  for (const id of views.ids) {
    const onLocal = trees.local.parent.has(id);
    const onRemote = trees.remote.parent.has(id);
    if (!onLocal || !onRemote) {
      parent.set(id, (onLocal ? trees.local : trees.remote).parent.get(id) ?? null);
      continue;
    }
    const mLocal = moved.local.has(id);
    const mRemote = moved.remote.has(id);
    let side: Side = winner;
    if (mLocal !== mRemote) side = mLocal ? 'local' : 'remote';
    parent.set(id, trees[side].parent.get(id) ?? null);
    if (side !== winner) fromLoser.add(id);
    if (mLocal && mRemote) {
      const place = (tree: TreeView) => ({ parent: tree.parent.get(id) ?? null, after: previousSibling(tree, id) });
      const local = place(trees.local);
      const remote = place(trees.remote);
      if ((local.parent !== remote.parent || local.after !== remote.after) && views.base.has(id)) {
        moveConflicts.push({ taskId: id, base: place(base), local, remote, winner });
      }
    }
  }

  const acyclic = new Set<string>();
  for (const start of views.ids) {
    for (;;) {
      const path: string[] = [];
      const onPath = new Set<string>();
      let cur: string | null = start;
      while (cur !== null && !acyclic.has(cur) && !onPath.has(cur)) {
        path.push(cur);
        onPath.add(cur);
        cur = parent.get(cur) ?? null;
      }
      if (cur !== null && onPath.has(cur)) {
        const loop = path.slice(path.indexOf(cur));
        const breakAt = loop.find((id) => fromLoser.has(id));
        if (breakAt === undefined) {
          throw new SyncError('INTERNAL', `Parent loop without a loser-sourced parent: ${loop.join(' → ')}`, { loop });
        }
        parent.set(breakAt, trees[winner].parent.get(breakAt) ?? null);
        fromLoser.delete(breakAt);
        continue;
      }
      for (const id of path) acyclic.add(id);
      break;
    }
  }
  return { parent, moveConflicts };
}

/**
 * Sibling order under each target parent. Tasks neither side moved keep their base order (the
 * skeleton); then each side's moved tasks are put, in that side's order, right after their nearest
 * preceding sibling on that side that the other side did not move, or that both sides moved to
 * the same place. A one-sided reorder thus comes out exactly as that side has it. The winner's
 * moves are placed first.
 */
export function orderChildren(
  views: Views,
  base: TreeView,
  parentOf: Map<string, string | null>,
  inTarget: Set<string>,
  winner: Side,
): Map<string | null, string[]> {
  const trees: Record<Side, TreeView> = { local: views.localTree, remote: views.remoteTree };
  const include = (id: string) => inTarget.has(id);
  const moved: Record<Side, Set<string>> = {
    local: movedOn(trees.local, base, include),
    remote: movedOn(trees.remote, base, include),
  };
  const samePlace = (id: string) => previousSibling(trees.local, id) === previousSibling(trees.remote, id);
  const kidsOf = new Map<string | null, Set<string>>();
  for (const id of inTarget) {
    const p = parentOf.get(id) ?? null;
    const set = kidsOf.get(p);
    if (set) set.add(id);
    else kidsOf.set(p, new Set([id]));
  }
  const result = new Map<string | null, string[]>();
  for (const [p, kids] of kidsOf) {
    const source = new Map<string, 'base' | Side>();
    for (const id of kids) {
      const state = (side: Side) =>
        trees[side].parent.get(id) !== p ? 'absent' : moved[side].has(id) ? 'moved' : 'stable';
      const l = state('local');
      const r = state('remote');
      source.set(
        id,
        l === 'moved' && r === 'moved' ? winner : l === 'moved' ? 'local' : r === 'moved' ? 'remote' : 'base',
      );
    }
    const order = (base.children.get(p) ?? []).filter((id) => kids.has(id) && source.get(id) === 'base');
    for (const side of [winner, otherSide(winner)]) {
      let anchor: string | null = null;
      for (const id of trees[side].children.get(p) ?? []) {
        if (!kids.has(id)) continue;
        const s = source.get(id);
        if (s === side) {
          order.splice(anchor === null ? 0 : order.indexOf(anchor) + 1, 0, id);
          anchor = id;
        } else if (s === 'base' || (moved[side].has(id) && samePlace(id))) {
          // A task both sides moved to one place is placed by the winner, where this side has it too.
          anchor = id;
        }
      }
    }
    if (order.length !== kids.size) {
      throw new SyncError('INTERNAL', `Sibling order under ${p ?? 'the top level'} lost tasks`, { parent: p });
    }
    result.set(p, order);
  }
  return result;
}
