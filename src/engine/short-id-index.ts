import { compactId } from '../markdown/index.js';

/**
 * `resolveShortId` (src/markdown/identity.ts) for many lookups against one project: the compact
 * forms are computed once and kept sorted, so each lookup is a binary search instead of a scan of
 * every id (which made a no-op sync of a 5,000-task file quadratic). Same answers: an exact
 * compact match if it is unique, else the only id whose compact form starts with `short`, else null.
 */
export class ShortIdIndex {
  private readonly byCompact = new Map<string, string[]>();
  private readonly sorted: string[];

  constructor(ids: Iterable<string>) {
    for (const id of new Set(ids)) {
      const c = compactId(id);
      const list = this.byCompact.get(c);
      if (list === undefined) this.byCompact.set(c, [id]);
      else list.push(id);
    }
    this.sorted = [...this.byCompact.keys()].sort();
  }

  resolve(short: string): string | null {
    if (short.length === 0) return null;
    const exact = this.byCompact.get(short);
    if (exact !== undefined) return exact.length === 1 ? exact[0]! : null;
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < short) lo = mid + 1;
      else hi = mid;
    }
    let found: string | null = null;
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.startsWith(short); i += 1) {
      const ids = this.byCompact.get(this.sorted[i]!)!;
      if (found !== null || ids.length !== 1) return null;
      found = ids[0]!;
    }
    return found;
  }
}

/**
 * The ids whose first eight compact characters another id shares — the only ones whose short
 * form needs more than eight characters. `shortId(x, crowded)` equals `shortId(x, all)` for every
 * id x, so the renderer can make block ids unique among the whole project in linear time.
 */
export function crowdedIds(ids: Iterable<string>): string[] {
  const groups = new Map<string, Set<string>>();
  for (const id of ids) {
    const key = compactId(id).slice(0, MIN_SHORT);
    const group = groups.get(key) ?? new Set<string>();
    group.add(id);
    groups.set(key, group);
  }
  return [...groups.values()].filter((g) => g.size > 1).flatMap((g) => [...g]);
}

const MIN_SHORT = 8;
