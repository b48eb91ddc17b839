import { EXIT, type ExitCode } from './exit-codes.js';

/** How one file's pass ended. */
export type FileOutcome = 'unchanged' | 'synced' | 'conflicts' | 'guard' | 'skipped' | 'failed' | 'held';

/** How a whole run ended. */
export type RunOutcome = 'ok' | 'conflicts' | 'guard' | 'failed' | 'partial';

/** Why a file failed: Taskade failing or unreachable (exit 6), or something else (exit 1). */
export type FailureKind = 'unreachable' | 'other';

/**
 * The run's outcome and exit code from its files' (DESIGN §4). Most severe first: token refused
 * (5), Taskade unreachable (6), guard (4), a file that failed for another reason (1), conflicts
 * (3). Files skipped for parse errors or missing links are reported but do not fail the run; a
 * held file (its remote changes wait) makes the run partial with exit 0.
 */
export function runOutcome(
  files: ReadonlyArray<{ outcome: FileOutcome; failure?: FailureKind }>,
  fatal: 'AUTH' | 'UNREACHABLE' | null,
): { outcome: RunOutcome; exitCode: ExitCode } {
  const has = (o: FileOutcome): boolean => files.some((f) => f.outcome === o);
  const done = files.filter(
    (f) => f.outcome === 'synced' || f.outcome === 'unchanged' || f.outcome === 'conflicts',
  ).length;
  if (fatal !== null)
    return { outcome: done > 0 ? 'partial' : 'failed', exitCode: fatal === 'AUTH' ? EXIT.AUTH : EXIT.UNREACHABLE };
  if (has('guard')) return { outcome: 'guard', exitCode: EXIT.SAFETY_GUARD };
  if (has('failed')) {
    const unreachable = files.some((f) => f.outcome === 'failed' && f.failure === 'unreachable');
    return { outcome: done > 0 ? 'partial' : 'failed', exitCode: unreachable ? EXIT.UNREACHABLE : EXIT.UNEXPECTED };
  }
  if (has('conflicts')) return { outcome: 'conflicts', exitCode: EXIT.CONFLICTS };
  if (has('held')) return { outcome: 'partial', exitCode: EXIT.OK };
  return { outcome: 'ok', exitCode: EXIT.OK };
}
