import type { Field, TaskKind, TaskValues } from '../model/task.js';
import type { ConflictMarker } from '../model/local-change.js';
import { stableSubsequence } from './stable-order.js';

/** The merged tree, in unified ids (see `views.ts`), before create refs replace restored ids. */
export interface TargetTree {
  /** Pre-order. */
  order: string[];
  parent: Map<string, string | null>;
  children: Map<string | null, string[]>;
  /** Previous sibling per task, `null` for a first child. */
  previous: Map<string, string | null>;
  values: Map<string, TaskValues>;
  kind: Map<string, TaskKind>;
  /** Fields left alone on both sides (pending conflicts whose marker is in the file). */
  frozen: Map<string, Set<Field>>;
  /** Markers to show beside local items after this run (only for items whose markers change). */
  markers: Map<string, ConflictMarker[]>;
  /** Restored-remotely ids → their create ref. */
  rename: Map<string, string>;
}

/** Each task's previous sibling in the target (`null` = first child). */
export function previousSiblings(children: Map<string | null, string[]>): Map<string, string | null> {
  const previous = new Map<string, string | null>();
  for (const kids of children.values()) kids.forEach((id, i) => previous.set(id, i > 0 ? kids[i - 1]! : null));
  return previous;
}

/** Ids that can stay where they are under one parent: the longest run already in target order. */
export function inPlace(
  target: TargetTree,
  sideChildren: Map<string | null, string[]>,
  sideParent: Map<string, string | null>,
): Set<string> {
  const keep = new Set<string>();
  for (const [p, kids] of target.children) {
    const now = (sideChildren.get(p) ?? []).filter((id) => target.parent.has(id) && target.parent.get(id) === p);
    const wanted = kids.filter((id) => sideParent.get(id) === p);
    // Equal sets by construction; keep the longest common order (see stable-order.ts).
    for (const id of stableSubsequence(wanted, now)) keep.add(id);
  }
  return keep;
}
