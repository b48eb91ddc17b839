import { SyncError } from '../model/errors.js';
import { isTaskadeError, toSyncError, type TaskList } from '../taskade/index.js';
import type { RunMoves } from './moves.js';
import type { NotesPort } from './ports.js';
import type { RequestCounter } from './request-counter.js';
import type { EngineDeps, FileReport, SyncRequest } from './types.js';

/** What one run's file passes share. */
export interface FileRunContext {
  deps: EngineDeps;
  request: SyncRequest;
  counter: RequestCounter;
  notes: NotesPort;
  now: () => number;
  /** file → the tasks whose notes, dates and assignees a streamed first sync left to read. */
  deferred: Map<string, { projectId: string; ids: string[] }>;
  /** projectId → its task list as read this run, while this run has not changed the project since. */
  lists: Map<string, TaskList>;
  /** Tasks that change files this run (engine/moves.ts). */
  moves: RunMoves;
  /** This run's row in the run log (null for a dry run), to tell its creates from a stopped run's. */
  runId?: number | null;
}

/** What ended the whole run (token refused, Taskade unreachable), if anything. */
export class FatalRunError extends Error {
  constructor(
    readonly error: SyncError,
    readonly report: FileReport,
  ) {
    super(error.message);
  }
}

export function emptyReport(path: string): FileReport {
  return {
    path,
    projectId: null,
    outcome: 'unchanged',
    remoteOps: 0,
    localChanges: 0,
    conflicts: [],
    diagnostics: [],
  };
}

/** The file is left as it is on both sides, with the reason. */
export function skipFile(ctx: FileRunContext, report: FileReport, message: string): FileReport {
  report.outcome = 'skipped';
  report.error = message;
  ctx.deps.logger.event({ level: 'warn', type: 'skip-file', file: report.path, message });
  return report;
}

/**
 * A read Taskade refused or did not answer. About this item: the file fails, the others go on;
 * the token refused or Taskade failing: the run ends (`FatalRunError`). Not a Taskade error: a
 * stopped run reports the file as stopped, anything else is a bug and propagates.
 */
export function failRequest(ctx: FileRunContext, report: FileReport, error: unknown, what: string): FileReport {
  report.outcome = 'failed';
  if (!isTaskadeError(error)) {
    if (ctx.request.signal?.aborted !== true) throw error;
    report.failure = 'other';
    report.error = `${what}: stopped`;
    return report;
  }
  const message = `${what}: ${error.message}`;
  report.error = message;
  report.failure = error.kind === 'transient' ? 'unreachable' : 'other';
  ctx.deps.logger.event({ level: 'error', type: 'request-failed', file: report.path, message });
  if (error.kind !== 'item') throw new FatalRunError(toSyncError(error), report);
  return report;
}
