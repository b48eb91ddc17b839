import { decide } from '../reconcile/decide.js';
import { act, REPLAN } from './act.js';
import { emptyReport, type FileRunContext } from './file-run.js';
import { gather } from './gather.js';
import type { FileReport } from './types.js';

export { FatalRunError, type FileRunContext } from './file-run.js';

/** A save during the pass makes the engine plan the file again, this many times at most. */
const MAX_REPLANS = 1;

/**
 * One file, one project (DESIGN §3): gather the three views through the ports, decide (pure:
 * the plan, the guard's verdict), act (apply, render, write, commit). When the file changed on
 * disk while Taskade was being written, the pass is planned again from a fresh read — a bounded
 * loop: a file that keeps changing fails for this run, its remote changes wait for the next.
 */
export async function syncFile(ctx: FileRunContext, path: string): Promise<FileReport> {
  for (let attempt = 0; ; attempt += 1) {
    const report = emptyReport(path);
    const gathered = await gather(ctx, report, attempt);
    if (!('outline' in gathered)) return gathered;
    const { config } = ctx.deps;
    const force = ctx.request.force === true;
    const { plan, verdict } = decide({
      base: gathered.adopted.base,
      local: gathered.adopted.local,
      remote: gathered.remote,
      pending: gathered.pending,
      adoptions: gathered.adopted.adoptions,
      options: { conflictWinner: config.conflictWinner, deleteGuard: config.deleteGuard, force },
      dryRun: ctx.request.dryRun === true,
    });
    report.conflicts = plan.conflicts;
    report.pending = plan.stillPending;
    report.remoteOps = plan.remote.length;
    report.localChanges = plan.local.length;
    if (verdict.kind === 'guard') {
      ctx.deps.logger.event({
        level: 'error',
        type: 'guard',
        file: path,
        message: verdict.message,
        data: { ...plan.guard },
      });
      report.outcome = 'guard';
      report.error = verdict.message;
      report.plan = plan;
      return report;
    }
    if (verdict.kind === 'dry-run') {
      report.plan = plan;
      report.outcome = verdict.outcome;
      return report;
    }
    const done = await act(ctx, gathered, plan, report, attempt < MAX_REPLANS);
    if (done !== REPLAN) return done;
  }
}
