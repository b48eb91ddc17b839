/**
 * fast-check run counts. CI runs a bounded number of cases; set `FC_NUM_RUNS` to raise it for a
 * local soak (e.g. `FC_NUM_RUNS=5000 npx vitest run test/reconcile`). `FC_SEED` replays one run.
 */
export function fcParams(defaultRuns = 100): { numRuns: number; seed?: number } {
  const fromEnv = Number.parseInt(process.env.FC_NUM_RUNS ?? '', 10);
  const numRuns = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
  const seed = Number.parseInt(process.env.FC_SEED ?? '', 10);
  return Number.isFinite(seed) ? { numRuns, seed } : { numRuns };
}
