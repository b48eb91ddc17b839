import { isNewId, type TaskRecord } from '../model/task.js';
import type { LocalTask } from './types.js';

/**
 * Identity without block ids (`ids: "none"`): the items of the file are given the Taskade ids of
 * the last synced snapshot by aligning the two trees, top-down, one sibling list at a time:
 *
 * 1. The longest common subsequence of the sibling lists, items equal when their text and kind
 *    are (an item that still carries a resolvable id is equal only to its own task), pairs the
 *    unchanged items (Hunt–McIlroy, as `diff` aligns lines).
 * 2. Between two consecutive pairs, the items left on both sides are paired in order: an item
 *    whose text changed in place is an edit, not a delete and a create. A text found unchanged
 *    elsewhere wins over a place: a base item whose exact text is still on an unpaired item of
 *    the file, or a file item whose exact text is still on an unpaired base item, is left to
 *    step 3 (moving T2 to the top and adding "New" where it was is a move and an add, not an
 *    edit of T2 into "New").
 * 3. What is still unpaired is looked up by exact text anywhere in the snapshot: a moved item.
 *
 * What stays unpaired is new (locally) or gone (from the base). Without ids an item that was both
 * moved to another parent and edited reads as deleted and created.
 *
 * `alignable` picks the items without an id that may be aligned (default all, for `ids: "none"`);
 * with block ids only headings are, since a heading carries no id (DESIGN §2, Identity).
 * `exactOnly` picks, among them, the items paired by step 1 only (same text and kind, same parent,
 * LCS place): with block ids an item whose id was dropped is found again that way, and a delete
 * next to an add is never read as an edit (steps 2 and 3 skip them).
 */
export function alignWithBase(
  local: readonly LocalTask[],
  base: readonly TaskRecord[] | null,
  alignable: (t: LocalTask) => boolean = () => true,
  exactOnly: (t: LocalTask) => boolean = () => false,
): LocalTask[] {
  const open = (t: LocalTask): boolean => isNewId(t.id) && alignable(t);
  const loose = (t: LocalTask): boolean => open(t) && !exactOnly(t);
  if (base === null || base.length === 0 || !local.some(open)) return [...local];
  const claimed = new Set(local.filter((t) => !isNewId(t.id)).map((t) => t.id));
  const assigned = new Map<string, string>(); // local `new:` id → base id
  const localChildren = groupByParent(local);
  const baseChildren = groupByParent(base);

  const key = (t: { kind: string; text: string }): string => `${t.kind}\u0000${t.text}`;
  const localByText = byText(local.filter(loose), key);
  const baseByText = byText(base, key);
  /** Step 2 pairs `l` with `b` by place only when neither text is waiting unchanged elsewhere. */
  const placeable = (l: LocalTask, b: TaskRecord, paired: Set<LocalTask | TaskRecord>): boolean => {
    if (l.kind !== b.kind) return false;
    if (l.text === b.text) return true;
    const free = (x: LocalTask | TaskRecord): boolean => !paired.has(x) && !assigned.has(x.id) && !claimed.has(x.id);
    const bElsewhere = (localByText.get(key(b)) ?? []).some((x) => x !== l && free(x));
    const lElsewhere = (baseByText.get(key(l)) ?? []).some((x) => x !== b && free(x));
    return !bElsewhere && !lElsewhere;
  };

  const equal = (l: LocalTask, b: TaskRecord): boolean =>
    open(l) ? !claimed.has(b.id) && l.kind === b.kind && l.text === b.text : l.id === b.id;

  const alignLevel = (localParent: string | null, baseParent: string | null): void => {
    const ls = localChildren.get(localParent) ?? [];
    const bs = baseChildren.get(baseParent) ?? [];
    const pairs = lcs(ls, bs, equal);
    const paired = new Set<LocalTask | TaskRecord>(pairs.flatMap(([i, j]) => [ls[i]!, bs[j]!]));
    // Gaps between pairs (and before the first / after the last): pair what is left in order.
    const withGaps: Array<[number, number]> = [];
    let li = 0;
    let bi = 0;
    for (const [pl, pb] of [...pairs, [ls.length, bs.length] as [number, number]]) {
      const gapL = ls.slice(li, pl).filter(loose);
      const gapB = bs.slice(bi, pb).filter((b) => !claimed.has(b.id));
      for (let k = 0; k < Math.min(gapL.length, gapB.length); k += 1) {
        if (placeable(gapL[k]!, gapB[k]!, paired)) withGaps.push([ls.indexOf(gapL[k]!), bs.indexOf(gapB[k]!)]);
      }
      if (pl < ls.length) withGaps.push([pl, pb]);
      li = pl + 1;
      bi = pb + 1;
    }
    const done = new Set<LocalTask>();
    for (const [i, j] of withGaps) {
      const l = ls[i]!;
      const b = bs[j]!;
      if (open(l)) {
        if (claimed.has(b.id)) continue;
        assigned.set(l.id, b.id);
        claimed.add(b.id);
      }
      done.add(l);
      alignLevel(l.id, b.id);
    }
    // Items that kept their id but moved here: align their children with their own base children.
    for (const l of ls) if (!done.has(l) && !isNewId(l.id)) alignLevel(l.id, l.id);
  };
  alignLevel(null, null);

  // Moved items: an exact text match anywhere among the snapshot's unclaimed tasks.
  for (const l of local) {
    if (!loose(l) || assigned.has(l.id)) continue;
    const b = base.find((x) => !claimed.has(x.id) && x.kind === l.kind && x.text === l.text);
    if (b !== undefined) {
      assigned.set(l.id, b.id);
      claimed.add(b.id);
    }
  }
  return local.map((t) => {
    const id = assigned.get(t.id) ?? t.id;
    const parentId = t.parentId === null ? null : (assigned.get(t.parentId) ?? t.parentId);
    return id === t.id && parentId === t.parentId ? t : { ...t, id, parentId };
  });
}

function byText<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const list = out.get(key(t));
    if (list === undefined) out.set(key(t), [t]);
    else list.push(t);
  }
  return out;
}

function groupByParent<T extends { parentId: string | null }>(items: readonly T[]): Map<string | null, T[]> {
  const out = new Map<string | null, T[]>();
  for (const t of items) {
    const list = out.get(t.parentId) ?? [];
    list.push(t);
    out.set(t.parentId, list);
  }
  return out;
}

/** Index pairs of a longest common subsequence of `a` and `b` under `eq`, in order. */
export function lcs<A, B>(a: readonly A[], b: readonly B[], eq: (x: A, y: B) => boolean): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  // Suffix table: len[i][j] = LCS length of a[i..] and b[j..].
  const len: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      len[i]![j] = eq(a[i]!, b[j]!) ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (eq(a[i]!, b[j]!) && len[i]![j] === len[i + 1]![j + 1]! + 1) {
      out.push([i, j]);
      i += 1;
      j += 1;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i += 1;
    else j += 1;
  }
  return out;
}
