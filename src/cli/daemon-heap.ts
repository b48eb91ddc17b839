import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings for the daemon (`watch`), a long-running process whose live heap is small
 * (about 30 MB with 10 × 1,000 tasks, two thirds of it the code it loaded) but whose passes and
 * reads make a lot of short-lived garbage (a markdown parse: some 80 MB per 1,000 items). With
 * V8's defaults the young generation grows to 2 × 16 MB and the old one to up to 4× what a full
 * collection leaves, and both stay that big: RSS 150–300 MB. Measured with `npm run bench:load`
 * (README, "Under load"): with both, the peak is about 120 MB instead of 250–310 MB, and RSS while
 * polling every 1–2 s stays at about 110 MB instead of 210–230 MB; the price is more collections
 * during passes (saves about 100 ms slower at the median on a loaded machine, not at the 99th
 * percentile). The young-generation setting alone keeps the saves as fast as before, but the old
 * generation then grows and stays anywhere between 110 and 180 MB; `--optimize-for-size` is as
 * small as both and twice as slow.
 *
 * - `--semi-space-growth-factor=1`: the young generation keeps its first size (2 × 1 MB), as
 *   `--max-semi-space-size=1` would; set before the daemon's modules load, while it still has it.
 * - `--heap-growing-percent=50`: after a full collection the old generation may grow by half of
 *   what survived before the next one, instead of V8's dynamic factor of up to 4.
 *
 * A flag the user gave node (NODE_OPTIONS, or on its command line) is left as given.
 */
export const DAEMON_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'];

/** The flags of DAEMON_V8_FLAGS the user did not set, as applied. */
export function tuneDaemonHeap(
  given: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
  set: (flag: string) => void = setFlagsFromString,
): string[] {
  const name = (flag: string): string => flag.replace(/^--/, '').split('=')[0]!.replace(/_/g, '-');
  const named = new Set(given.filter((a) => a.startsWith('--')).map(name));
  // --max-semi-space-size caps the young generation itself: our growth factor would only shrink it.
  const young = named.has('max-semi-space-size') || named.has('semi-space-growth-factor');
  const applied = DAEMON_V8_FLAGS.filter((f) =>
    name(f) === 'semi-space-growth-factor' ? !young : !named.has(name(f)),
  );
  for (const flag of applied) set(flag);
  return applied;
}
