import { SyncError } from '../model/errors.js';
import { runOutcome } from '../model/outcome.js';
import { systemClock } from '../model/clock.js';
import { discoverLinkedFiles, missingLinkedFiles } from './discover.js';
import { warnIfJournalLost } from './lost-journal.js';
import { fsNotes } from './ports.js';
import { RequestCounter } from './request-counter.js';
import { FatalRunError, syncFile, type FileRunContext } from './sync-file.js';
import type { EngineDeps, FileReport, SyncReport, SyncRequest } from './types.js';

/**
 * One pass over the linked files (or the ones asked for), each on its own: a failure stays with
 * its file, except a refused token or an unreachable Taskade, which end the run. Takes no lock —
 * the CLI and the daemon hold it around the call.
 */
export async function syncOnce(deps: EngineDeps, request: SyncRequest = {}): Promise<SyncReport> {
  const now = (): number => (deps.clock ?? systemClock).now();
  const counter = new RequestCounter();
  const notes = deps.notes ?? fsNotes(deps.config.root, deps.config.stateDir);
  const ctx: FileRunContext = { deps, request, counter, notes, now };
  const paths =
    request.files?.map(normalisePath) ?? discoverLinkedFiles(deps.config, deps.journal, notes).map((f) => f.path);
  const dryRun = request.dryRun === true;
  warnIfJournalLost(deps, notes, paths);
  const runId = dryRun ? null : deps.journal.startRun({ kind: request.runKind ?? 'sync', at: now(), files: paths });
  deps.logger.event({
    level: 'debug',
    type: 'run-start',
    message: `sync of ${paths.length} file(s)${dryRun ? ' (dry run)' : ''}`,
  });

  const files: FileReport[] = [];
  let fatal: SyncError | null = null;
  for (const path of paths) {
    if (fatal !== null || request.signal?.aborted === true) break;
    try {
      files.push(await syncFile(ctx, path));
    } catch (error) {
      if (error instanceof FatalRunError) {
        files.push(error.report);
        fatal = error.error;
      } else if (error instanceof SyncError) {
        // A failure stays where it happened: this file is reported, the others go on.
        files.push({
          path,
          projectId: null,
          outcome: 'failed',
          remoteOps: 0,
          localChanges: 0,
          conflicts: [],
          diagnostics: [],
          error: error.message,
          failure: 'other',
        });
        deps.logger.event({ level: 'error', type: 'file-failed', file: path, message: error.message });
      } else {
        throw error;
      }
    }
  }

  if (request.files === undefined) {
    for (const gone of missingLinkedFiles(deps.config, deps.journal, notes)) {
      const message = `${gone.path} is gone; project ${gone.projectId} is left as it is (restore the file, or link another file to the project)`;
      deps.logger.event({ level: 'warn', type: 'file-gone', file: gone.path, message });
      files.push({
        path: gone.path,
        projectId: gone.projectId,
        outcome: 'skipped',
        remoteOps: 0,
        localChanges: 0,
        conflicts: [],
        diagnostics: [],
        error: message,
      });
    }
  }
  const report = summarise(files, counter, fatal, dryRun);
  if (runId !== null) {
    deps.journal.finishRun(runId, {
      at: now(),
      outcome: report.outcome,
      counts: {
        files: files.length,
        reads: counter.reads,
        writes: counter.writes,
        remoteOps: sum(files, (f) => f.remoteOps),
        localChanges: sum(files, (f) => f.localChanges),
        conflicts: sum(files, (f) => f.conflicts.length),
      },
      ...(fatal !== null ? { error: fatal.message } : {}),
    });
  }
  deps.logger.event({
    level: 'debug',
    type: 'run-end',
    message: `${report.outcome}: ${counter.reads} reads, ${counter.writes} writes`,
    data: { outcome: report.outcome, exitCode: report.exitCode },
  });
  return report;
}

/** The run's report: its files, what it cost, and its outcome and exit code (`model/outcome.ts`). */
export function summarise(
  files: FileReport[],
  counter: RequestCounter,
  fatal: SyncError | null,
  dryRun: boolean,
): SyncReport {
  const { outcome, exitCode } = runOutcome(
    files,
    fatal === null ? null : fatal.code === 'AUTH' ? 'AUTH' : 'UNREACHABLE',
  );
  return {
    files,
    requests: { reads: counter.reads, writes: counter.writes },
    outcome,
    exitCode,
    dryRun,
    ...(fatal !== null ? { error: fatal.message } : {}),
  };
}

function sum(files: FileReport[], f: (r: FileReport) => number): number {
  return files.reduce((n, r) => n + f(r), 0);
}

function normalisePath(p: string): string {
  return p.split('\\').join('/').replace(/^\.\//, '');
}
