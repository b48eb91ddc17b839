import type { PlanGuard, PlanOptions } from './types.js';

/**
 * The mass-deletion failsafe (DESIGN §3 "Safety guards"): a run that would delete more than a
 * share of the base (and at least `min` tasks) on one side, or that sees one side suddenly empty
 * while the base and the other side are not, is stopped. The side with more deletes is reported.
 */
export function checkGuard(
  counts: { baseSize: number; localSize: number; remoteSize: number; localDeletes: number; remoteDeletes: number },
  options: PlanOptions,
): PlanGuard | null {
  const { baseSize, localSize, remoteSize, localDeletes, remoteDeletes } = counts;
  if (baseSize === 0) return null;
  if (localSize === 0 && remoteSize > 0) {
    return { reason: 'empty-side', side: 'local', deletes: remoteDeletes, total: baseSize };
  }
  if (remoteSize === 0 && localSize > 0) {
    return { reason: 'empty-side', side: 'remote', deletes: localDeletes, total: baseSize };
  }
  const { share, min } = options.deleteGuard;
  const trips = (deletes: number) => deletes > share * baseSize && deletes >= min;
  const side = localDeletes > remoteDeletes ? 'local' : 'remote';
  const deletes = Math.max(localDeletes, remoteDeletes);
  return trips(deletes) ? { reason: 'mass-delete', side, deletes, total: baseSize } : null;
}
