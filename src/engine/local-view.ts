import { flattenOutline, type Outline } from '../markdown/index.js';
import { sourceOf } from '../markdown/source-map.js';
import { isNewId, NEW_ID_PREFIX } from '../model/task.js';
import type { LocalTask } from '../reconcile/types.js';
import { ShortIdIndex } from './short-id-index.js';

export interface LocalView {
  /** The outline as the planner sees it, in pre-order. */
  tasks: LocalTask[];
  /** Outline key → 1-based line, for log lines that name the line. */
  lineOf: Map<string, number>;
  /** Items whose `^tk-` id names a task of another linked file's project (`foreign`): key → that task. */
  carried: Map<string, string>;
  /** Copies of those items' lines (left out): copy's key → the carried item's key. */
  carriedCopies: Map<string, string>;
}

/**
 * The parsed file as planner input. A block id names a Taskade task when it resolves (unique
 * prefix) against the ids we know for the project — the base's and the remote list's; the user's
 * own block id (`^abc`, no `^tk-` id) names the task `anchors` (the journal's) maps it to; an item
 * without one, with one that does not resolve, or with one an earlier item already claimed (two
 * short forms of one task) is new: `new:<key>`. A copied line (same id, same text: see the
 * parser's `copyOf`) is the same task: it is left out of the plan.
 *
 * A block id that does not resolve here may name a task moved in from another linked file:
 * `foreign` says which (see `engine/moves.ts`). Such an item is new to this project (`new:<key>`,
 * created here) and `carried` names the task it came from; a copy of its line is left out as above.
 */
export function localView(
  outline: Outline,
  knownIds: Iterable<string>,
  anchors: ReadonlyMap<string, string> = new Map(),
  foreign: (short: string) => string | null = () => null,
): LocalView {
  const ids = [...knownIds];
  const known = new ShortIdIndex(ids);
  const knownSet = new Set(ids);
  const nodes = sourceOf(outline)?.nodes;
  const idOfKey = new Map<string, string>();
  const claimed = new Set<string>();
  const tasks: LocalTask[] = [];
  const lineOf = new Map<string, number>();
  const carried = new Map<string, string>();
  const carriedCopies = new Map<string, string>();
  const claimedForeign = new Map<string, string>(); // foreign task → the key of the item that carries it
  for (const node of flattenOutline(outline)) {
    // An item with the user's own block id (no `^tk-` id): the task the journal maps it to.
    const src = node.id === null ? nodes?.get(node.key) : undefined;
    const anchored = src?.kind === 'task' && src.anchor !== null ? anchors.get(src.anchor) : undefined;
    const resolved =
      node.id !== null ? known.resolve(node.id) : anchored !== undefined && knownSet.has(anchored) ? anchored : null;
    const copyOf = src?.kind === 'task' ? src.copyOf : undefined;
    const copied = copyOf === undefined ? null : (known.resolve(copyOf) ?? foreign(copyOf));
    if (copied !== null && (claimed.has(copied) || claimedForeign.has(copied))) {
      // The same line twice (a copy with its id and text): one task. The copy is left as written
      // and not planned; what is under it is planned under the task.
      const first = claimedForeign.get(copied);
      idOfKey.set(node.key, first === undefined ? copied : `${NEW_ID_PREFIX}${first}`);
      if (first !== undefined) carriedCopies.set(node.key, first);
      continue;
    }
    const id = resolved !== null && !claimed.has(resolved) ? resolved : `${NEW_ID_PREFIX}${node.key}`;
    if (resolved !== null && id === resolved) claimed.add(resolved);
    const from = resolved === null && node.id !== null && node.kind === 'task' ? foreign(node.id) : null;
    if (from !== null && !claimedForeign.has(from)) {
      claimedForeign.set(from, node.key);
      carried.set(node.key, from);
    }
    idOfKey.set(node.key, id);
    lineOf.set(node.key, node.line);
    tasks.push({
      id,
      parentId: node.parentKey === null ? null : (idOfKey.get(node.parentKey) ?? null),
      kind: node.kind,
      key: node.key,
      conflicts: node.conflicts,
      text: node.text,
      completed: node.completed,
      note: node.note,
      due: node.due,
      assignees: node.assignees,
    });
  }
  return { tasks, lineOf, carried, carriedCopies };
}

/**
 * Headings that still carry a `^tk-` id (written by versions before headings went without):
 * outline key → the Taskade id it resolved to. The run sends them as `set-id`, which on a heading
 * removes the id; from then on the journal's base knows the heading (`alignWithBase`).
 */
export function headingsWithIds(outline: Outline, tasks: readonly LocalTask[]): Map<string, string> {
  const withId = new Set(
    flattenOutline(outline)
      .filter((n) => n.kind === 'section' && n.id !== null)
      .map((n) => n.key),
  );
  const out = new Map<string, string>();
  for (const t of tasks) if (withId.has(t.key) && !isNewId(t.id)) out.set(t.key, t.id);
  return out;
}

/** Outline key → the user's own block id on the item's line (`^abc`, without `^`). */
export function anchorsOf(outline: Outline): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, src] of sourceOf(outline)?.nodes ?? [])
    if (src.kind === 'task' && src.anchor !== null) out.set(key, src.anchor);
  return out;
}

/** With block ids, headings are found by place and text as with `ids: "none"` (they carry no id). */
export const alignedWithoutId = (t: LocalTask): boolean => t.kind === 'section';

/**
 * With block ids, items other than headings are aligned with the base only by exact match (same
 * text and kind, same parent, same place): an item whose `^tk-` id an editor dropped.
 */
export const alignedExactly = (t: LocalTask): boolean => t.kind !== 'section';

/**
 * Items with no `^tk-` id (and no anchor) that the alignment found as a base task: outline key →
 * that task's id, written back into the file (`set-id`).
 */
export function lostIds(
  outline: Outline,
  before: readonly LocalTask[],
  after: readonly LocalTask[],
): Map<string, string> {
  const nodes = sourceOf(outline)?.nodes;
  const out = new Map<string, string>();
  for (let i = 0; i < after.length; i += 1) {
    const t = after[i]!;
    if (t.kind === 'section' || !isNewId(before[i]!.id) || isNewId(t.id)) continue;
    const src = nodes?.get(t.key);
    if (src?.kind === 'task' && src.anchor !== null) continue;
    out.set(t.key, t.id);
  }
  return out;
}

/** `ids` without the items the file's changes remove (with their subtrees): no id is written on them. */
export function notRemoved(
  ids: ReadonlyMap<string, string>,
  tasks: readonly LocalTask[],
  changes: readonly { type: string; key?: string }[],
): Map<string, string> {
  const gone = new Set(changes.filter((c) => c.type === 'remove').map((c) => c.key));
  if (gone.size === 0) return new Map(ids);
  const goneIds = new Set<string>();
  for (const t of tasks) if (gone.has(t.key) || (t.parentId !== null && goneIds.has(t.parentId))) goneIds.add(t.id);
  const goneKeys = new Set(tasks.filter((t) => goneIds.has(t.id)).map((t) => t.key));
  return new Map([...ids].filter(([key]) => !goneKeys.has(key)));
}
