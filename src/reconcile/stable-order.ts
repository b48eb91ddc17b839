/**
 * Which elements of a list kept their place: the longest subsequence that two orders of the same
 * elements share. Everything outside it is taken as moved. This is the "minimal moves" reading of
 * a reorder used by list diffs: `[a b c d] → [b c d a]` is one move of `a`, not three of b, c, d.
 *
 * Both inputs hold the same set of distinct ids. Computed as a longest increasing subsequence of
 * base positions (patience sorting, O(n log n)); ties resolve to the earliest candidates, so the
 * answer is deterministic.
 */
export function stableSubsequence(before: readonly string[], after: readonly string[]): Set<string> {
  const rank = new Map<string, number>();
  before.forEach((id, i) => rank.set(id, i));
  const ranks: number[] = [];
  const ids: string[] = [];
  for (const id of after) {
    const r = rank.get(id);
    if (r !== undefined) {
      ranks.push(r);
      ids.push(id);
    }
  }
  // tails[k] = index (into ranks) of the smallest tail of an increasing run of length k + 1.
  const tails: number[] = [];
  const previous: number[] = new Array<number>(ranks.length).fill(-1);
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranks[tails[mid]!]! < r) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const stable = new Set<string>();
  let k = tails.length > 0 ? tails[tails.length - 1]! : -1;
  while (k >= 0) {
    stable.add(ids[k]!);
    k = previous[k]!;
  }
  return stable;
}
