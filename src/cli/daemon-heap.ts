import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings for the daemon (`watch`), a long-running process whose live heap is small
 * (about 25–30 MB with 10 × 1,000 tasks, most of it the code it loaded) but whose passes and reads
 * make a lot of short-lived garbage (a markdown parse: some 60 MB per 1,000 items). With V8's
 * defaults the young generation grows to 2 × 16 MB and stays that big, and what it holds when it
 * fills is promoted: the old generation is then kept at up to 4× the live heap.
 *
 * `--semi-space-growth-factor=1`: the young generation keeps its first size, 2 × 1 MB (as
 * `--max-semi-space-size=1` would; that one is read only when the isolate starts, this one each
 * time the young generation would grow, so bin.ts sets it before the daemon's modules load, while
 * it still has that size). Measured with `npm run bench:load` (README, "Under load").
 *
 * Tried and not taken: `--heap-growing-percent=50` with it (the peak a third lower again, but a
 * full collection every few hundred milliseconds during passes: saves about 100 ms slower at the
 * median), `--optimize-for-size` (as small, saves twice as slow).
 *
 * A flag the user gave node (NODE_OPTIONS, or on its command line) is left as given.
 */
export const DAEMON_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1'];

/** The flags of DAEMON_V8_FLAGS the user did not set, as applied. */
export function tuneDaemonHeap(
  given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
  set: (flag: string) => void = setFlagsFromString,
): string[] {
  const name = (flag: string): string => flag.replace(/^--/, '').split('=')[0]!.replace(/_/g, '-');
  const named = new Set(given.filter((a) => a.startsWith('--')).map(name));
  // --max-semi-space-size or --min-semi-space-size size the young generation themselves.
  const young = ['max-semi-space-size', 'min-semi-space-size', 'semi-space-growth-factor'].some((n) => named.has(n));
  const applied = DAEMON_V8_FLAGS.filter((f) => !young || name(f) !== 'semi-space-growth-factor');
  for (const flag of applied) set(flag);
  return applied;
}
