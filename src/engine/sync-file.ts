import type { RemoteTaskRecord } from '../model/task.js';
import { decide, readCount, readsBeforeGuard, unverifiedReads, type DecideInput } from '../reconcile/decide.js';
import { act, preview, REPLAN } from './act.js';
import { emptyReport, failRequest, type FileRunContext } from './file-run.js';
import { gather } from './gather.js';
import { missedByPagedRead } from './paged-read.js';
import { readFields } from './remote-view.js';
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
  let relisted = false;
  let replans = 0;
  for (let attempt = 0; ; attempt += 1) {
    const report = emptyReport(path);
    const gathered = await gather(ctx, report, attempt);
    if (!('outline' in gathered)) return gathered;
    // A list read in several pages is not one snapshot: a subtree moved meanwhile from a page
    // not yet read to one already read is in neither, and reads as deleted on Taskade. Acting on
    // that takes it out of the file (it comes back next run as Taskade's, undoing the file's
    // deletes inside it), or, with a local edit inside it, creates it again beside the original.
    // (The old project of tasks moved in from another file is read the same way: carry.ts.)
    // So a paged read that misses tasks of the base is read once more before anything is
    // decided: a second read that misses them too means they are gone.
    if (!relisted) {
      const missing = missedByPagedRead(gathered.list, gathered.adopted.base);
      if (missing > 0) {
        relisted = true;
        ctx.deps.logger.event({
          level: 'info',
          type: 'relist',
          file: path,
          message: `${missing} task(s) missing from a list read in ${gathered.list.pages} pages; reading it again before deciding`,
        });
        continue;
      }
    }
    const { config } = ctx.deps;
    const force = ctx.request.force === true;
    const inputOn = (remote: RemoteTaskRecord[]): DecideInput => ({
      base: gathered.adopted.base,
      local: gathered.adopted.local,
      remote,
      pending: gathered.pending,
      adoptions: gathered.adopted.adoptions,
      options: { conflictWinner: config.conflictWinner, deleteGuard: config.deleteGuard, force },
      dryRun: ctx.request.dryRun === true,
      movedOut: gathered.movedOut,
      carried: gathered.carried.plan,
    });
    let input = inputOn(gathered.remote);
    let decision = decide(input);
    // Verified writes: a note, date or assignee list is overwritten, and a task deleted, only once
    // its current remote value is known. Each round reads what the plan would replace unread and
    // decides again; a value read can only turn a write into a merge, a conflict or a kept task,
    // and each round leaves fewer fields unread, so the loop ends. A plan the guard stopped is
    // judged after these reads too (an edit read may keep what looked like a mass delete), but
    // only while they stay few (`readsBeforeGuard`): an empty side, or a mass delete owing more
    // than GUARD_READS_MAX reads, is stopped on the plan unread.
    let guardReads = 0;
    for (;;) {
      const held = decision.verdict.kind === 'guard';
      const wanted = held
        ? readsBeforeGuard(input, decision, guardReads)
        : unverifiedReads(decision.plan, gathered.remote, gathered.adopted.local);
      if (wanted.size === 0) break;
      if (held) {
        guardReads += readCount(wanted);
        ctx.deps.logger.event({
          level: 'debug',
          type: 'guard-reads',
          file: path,
          message: `reading ${readCount(wanted)} note(s), date(s) and assignee list(s) an edit in which would keep tasks this run would delete, before the guard's verdict`,
        });
      }
      try {
        gathered.remote = await readFields(
          ctx.deps.client,
          gathered.projectId,
          gathered.remote,
          wanted,
          ctx.counter,
          ctx.request.signal,
        );
      } catch (error) {
        return failRequest(
          ctx,
          report,
          error,
          `cannot read what this run would overwrite in project ${gathered.projectId}`,
        );
      }
      input = inputOn(gathered.remote);
      decision = decide(input);
    }
    const { plan, verdict } = decision;
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
      report.preview = preview(gathered, plan, config.ids);
      return report;
    }
    const done = await act(ctx, gathered, plan, report, replans < MAX_REPLANS);
    if (done !== REPLAN) return done;
    replans += 1;
  }
}
