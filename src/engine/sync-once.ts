import { SyncError } from '../model/errors.js';
import { runOutcome } from '../model/outcome.js';
import { systemClock } from '../model/clock.js';
import { discoverLinkedFiles, missingLinkedFiles } from './discover.js';
import { warnIfJournalLost } from './lost-journal.js';
import { RunMoves } from './moves.js';
import { fsNotes } from './ports.js';
import { RequestCounter } from './request-counter.js';
import { FatalRunError, syncFile, type FileRunContext } from './sync-file.js';
import type { EngineDeps, FileReport, SyncReport, SyncRequest } from './types.js';

/**
 * One pass over the linked files (or the ones asked for), each on its own: a failure stays with
 * its file, except a refused token or an unreachable Taskade, which end the run. Takes no lock —
 * the CLI and the daemon hold it around the call.
 */
/** Details of a streamed first sync are written in at most this many passes… */
const DETAIL_PASSES = 10;
/** …of at least this many tasks each. */
const DETAIL_CHUNK_MIN = 50;

export async function syncOnce(deps: EngineDeps, request: SyncRequest = {}): Promise<SyncReport> {
  const now = (): number => (deps.clock ?? systemClock).now();
  const counter = new RequestCounter();
  const notes = deps.notes ?? fsNotes(deps.config.root, deps.config.stateDir);
  const paths =
    request.files?.map(normalisePath) ?? discoverLinkedFiles(deps.config, deps.journal, notes).map((f) => f.path);
  const moves = new RunMoves({ config: deps.config, journal: deps.journal, notes, paths });
  const ctx: FileRunContext = { deps, request, counter, notes, now, deferred: new Map(), lists: new Map(), moves };
  const dryRun = request.dryRun === true;
  warnIfJournalLost(deps, notes, paths);
  const runId = dryRun ? null : deps.journal.startRun({ kind: request.runKind ?? 'sync', at: now(), files: paths });
  ctx.runId = runId;
  deps.logger.event({
    level: 'debug',
    type: 'run-start',
    message: `sync of ${paths.length} file(s)${dryRun ? ' (dry run)' : ''}`,
  });

  const files: FileReport[] = [];
  let fatal = null as SyncError | null;
  /** One file's pass; a failure stays with its file, a run-ending one is kept in `fatal`. */
  const pass = async (path: string, c: FileRunContext): Promise<FileReport> => {
    try {
      return await syncFile(c, path);
    } catch (error) {
      if (error instanceof FatalRunError) {
        fatal = error.error;
        return error.report;
      }
      if (!(error instanceof SyncError)) throw error;
      deps.logger.event({ level: 'error', type: 'file-failed', file: path, message: error.message });
      return {
        path,
        projectId: null,
        outcome: 'failed',
        remoteOps: 0,
        localChanges: 0,
        conflicts: [],
        diagnostics: [],
        error: error.message,
        failure: 'other',
      };
    }
  };
  let unfinished: string[] | undefined;
  for (const [i, path] of paths.entries()) {
    if (fatal !== null || request.signal?.aborted === true) break;
    if (i > 0 && request.giveWay !== undefined && (await request.giveWay())) {
      unfinished = paths.slice(i);
      break;
    }
    files.push(await pass(path, ctx));
  }
  // A file whose tasks moved to a file synced after it: its pass again, to delete what was created
  // elsewhere meanwhile and release what it held for it (engine/moves.ts).
  for (const path of moves.takeAgain()) {
    if (fatal !== null || request.signal?.aborted === true) break;
    const at = files.findIndex((f) => f.path === path);
    if (at < 0) continue;
    const report = files[at]!;
    const projectId = report.projectId;
    const list = projectId === null ? undefined : ctx.lists.get(projectId);
    const next = await pass(path, {
      ...ctx,
      request: {
        ...request,
        files: [path],
        remoteLists: list === undefined || projectId === null ? undefined : new Map([[projectId, list]]),
      },
    });
    files[at] = mergeReports(report, next);
  }
  // Streamed first syncs: the outlines are written; now the details, a chunk a pass (or the
  // caller reads them: `detailsLater`).
  const detailsLeft: NonNullable<SyncReport['detailsLeft']> = [];
  for (const [path, { projectId, ids }] of request.detailsLater === true ? [] : ctx.deferred) {
    const at = files.findIndex((f) => f.path === path);
    const chunk = Math.max(DETAIL_CHUNK_MIN, Math.ceil(ids.length / DETAIL_PASSES));
    for (let done = 0; done < ids.length; done += chunk) {
      if (fatal !== null || request.signal?.aborted === true) break;
      const report = files[at]!;
      if (report.outcome !== 'synced' && report.outcome !== 'unchanged' && report.outcome !== 'conflicts') break;
      deps.logger.event({
        level: 'debug',
        type: 'progress',
        file: path,
        message: `reading details ${done}/${ids.length}`,
        data: { what: 'reading details', done, total: ids.length, unit: 'tasks', requestsPerItem: 3 },
      });
      const list = ctx.lists.get(projectId);
      const next = await pass(path, {
        ...ctx,
        deferred: new Map(),
        request: {
          ...request,
          files: [path],
          streamDetails: false,
          remoteLists: list === undefined ? undefined : new Map([[projectId, list]]),
          subresourceReads: new Map([[projectId, ids.slice(done, done + chunk)]]),
        },
      });
      files[at] = mergeReports(report, next);
    }
    if (fatal === null && request.signal?.aborted !== true)
      deps.logger.event({
        level: 'debug',
        type: 'progress',
        file: path,
        message: `reading details ${ids.length}/${ids.length}`,
        data: { what: 'reading details', done: ids.length, total: ids.length, unit: 'tasks', requestsPerItem: 3 },
      });
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
  if (request.detailsLater === true)
    for (const [path, { projectId, ids }] of ctx.deferred) {
      const outcome = files.find((f) => f.path === path)?.outcome;
      if (outcome === 'synced' || outcome === 'unchanged' || outcome === 'conflicts')
        detailsLeft.push({ path, projectId, ids });
    }
  const report = summarise(files, counter, fatal, dryRun);
  if (unfinished !== undefined) report.unfinished = unfinished;
  if (detailsLeft.length > 0) report.detailsLeft = detailsLeft;
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

/** A streamed first sync is several passes over one file: one report, the last pass's outcome. */
function mergeReports(first: FileReport, next: FileReport): FileReport {
  return {
    ...next,
    remoteOps: first.remoteOps + next.remoteOps,
    localChanges: first.localChanges + next.localChanges,
    conflicts: [...first.conflicts, ...next.conflicts],
    diagnostics: next.diagnostics,
  };
}

function sum(files: FileReport[], f: (r: FileReport) => number): number {
  return files.reduce((n, r) => n + f(r), 0);
}

function normalisePath(p: string): string {
  return p.split('\\').join('/').replace(/^\.\//, '');
}
