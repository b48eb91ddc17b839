import { syncOnce, type FileReport, type SyncReport } from '../../engine/index.js';
import type { RemoteOp } from '../../reconcile/index.js';
import type { Journal } from '../../journal/index.js';
import { DRY_RUN, JSON_OUT, parseCommandArgs, QUIET, VERBOSE } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { openEngine } from '../context.js';
import { checkFileArgs } from '../file-args.js';
import { relativeToRoot } from '../paths.js';

const usage = `Usage: taskade-sync sync [FILE…] [--dry-run] [--json] [--force] [--deep] [--quiet] [--verbose]

One sync pass over every linked file (or the FILEs given), then exit.

Options:
  -n, --dry-run   print what would change, change nothing anywhere
  --json          print one JSON document (schema in the README); nothing else on stdout
  --force         apply even when the safety guard would stop the run
  --deep          also read every task's note, date and assignees (3 requests per task), to
                  catch remote edits of those alone; a plain sync reads them only for changed tasks
  -q, --quiet     print only warnings and errors
  -v, --verbose   print debug events too

Exit codes: 0 done, 1 unexpected error, 2 usage or config error, 3 conflicts pending,
4 safety guard stopped the run, 5 token refused, 6 Taskade unreachable, 7 lock held.
`;

export const command: Command = {
  name: 'sync',
  summary: 'one sync pass over the linked files, then exit',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('sync', {
      args: argv,
      allowPositionals: true,
      options: {
        'dry-run': DRY_RUN,
        json: JSON_OUT,
        force: { type: 'boolean', default: false },
        deep: { type: 'boolean', default: false },
        quiet: QUIET,
        verbose: VERBOSE,
      },
    });
    const ctx = await openEngine(io, {
      purpose: 'sync',
      log: { quiet: values.quiet, verbose: values.verbose, json: values.json },
    });
    try {
      const files =
        positionals.length === 0 ? undefined : positionals.map((p) => relativeToRoot(ctx.config.root, io.cwd, p));
      if (files !== undefined) checkFileArgs(ctx.config, ctx.deps.journal, files, positionals);
      const subresourceReads = values.deep ? everyKnownTask(ctx.deps.journal) : undefined;
      const report = await syncOnce(ctx.deps, {
        files,
        dryRun: values['dry-run'],
        force: values.force,
        subresourceReads,
        streamDetails: true,
        signal: io.signal,
      });
      if (report.error !== undefined) io.stderr.write(`taskade-sync sync: ${report.error}\n`);
      if (values.json) io.stdout.write(JSON.stringify(toJson(report), null, 2) + '\n');
      else {
        if (report.dryRun) io.stdout.write(describePlan(report));
        if (!values.quiet || report.exitCode !== 0) io.stdout.write(summaryLine(report) + '\n');
        for (const f of report.files) {
          if (f.error !== undefined && f.outcome !== 'failed' && f.outcome !== 'guard' && f.outcome !== 'skipped')
            io.stderr.write(`${f.path}: ${f.error}\n`);
        }
      }
      return report.exitCode;
    } finally {
      await ctx.close();
    }
  },
};

/**
 * `--deep`: the notes, dates and assignees of every task the journal knows, per project. Taskade
 * has no change feed for these sub-resources (one GET each per task), so a plain sync reads them
 * only for tasks whose list entry changed; tasks new since the last sync are read anyway.
 */
function everyKnownTask(journal: Journal): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const link of journal.listLinks())
    reads.set(
      link.projectId,
      journal.getBase(link.projectId).map((t) => t.id),
    );
  return reads;
}

function summaryLine(r: SyncReport): string {
  const n = (o: FileReport['outcome']) => r.files.filter((f) => f.outcome === o).length;
  const remote = r.files.reduce((s, f) => s + f.remoteOps, 0);
  const local = r.files.reduce((s, f) => s + f.localChanges, 0);
  const conflicts = r.files.flatMap((f) =>
    f.conflicts.map((c) => `  ${f.path}: conflict on ${c.field} of task ${c.taskId} (${c.winner} kept)`),
  );
  const parts = [
    `${r.dryRun ? 'dry run' : r.outcome}: ${r.files.length} file(s)`,
    `${n('synced')} synced`,
    `${n('unchanged')} unchanged`,
    n('conflicts') > 0 ? `${n('conflicts')} with conflicts` : null,
    n('guard') > 0 ? `${n('guard')} stopped by the guard` : null,
    n('skipped') > 0 ? `${n('skipped')} skipped` : null,
    n('failed') > 0 ? `${n('failed')} failed` : null,
    n('held') > 0 ? `${n('held')} held` : null,
  ].filter((p) => p !== null);
  return `${parts.join(', ')}; ${remote} change(s) ${r.dryRun ? 'planned' : 'sent'} to Taskade, ${local} to files; ${r.requests.reads} reads, ${r.requests.writes} writes${conflicts.length > 0 ? '\n' + conflicts.join('\n') : ''}`;
}

function describePlan(r: SyncReport): string {
  const lines: string[] = [];
  for (const f of r.files) {
    if (f.plan === undefined) continue;
    if (f.plan.remote.length + f.plan.local.length === 0) continue;
    lines.push(`${f.path} (project ${f.projectId ?? '?'}):`);
    for (const op of f.plan.remote) lines.push(`  taskade: ${describeOp(op)}`);
    for (const c of f.plan.local) lines.push(`  file:    ${c.type} ${'key' in c ? c.key : c.item.values.text}`);
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function describeOp(op: RemoteOp): string {
  switch (op.op) {
    case 'create':
      return `create “${op.text}”`;
    case 'update-text':
      return `text of ${op.id} → “${op.text}”`;
    case 'set-completed':
      return `${op.completed ? 'complete' : 'reopen'} ${op.id}`;
    case 'move':
      return `move ${op.id} under ${op.parent ?? '(top)'} after ${op.after ?? '(first)'}`;
    case 'delete':
      return `delete ${op.id} (and its subtree)`;
    case 'set-note':
      return `${op.note === null ? 'remove note of' : 'set note of'} ${op.id}`;
    case 'set-due':
      return `${op.due === null ? 'remove due date of' : `due ${op.due.date} on`} ${op.id}`;
    case 'set-assignees':
      return `assignees of ${op.id} → ${op.assignees.join(', ') || '(none)'}`;
  }
}

/** The stable `--json` document (README: "sync --json"). Version bumps on any breaking change. */
export function toJson(r: SyncReport): Record<string, unknown> {
  return {
    version: 1,
    outcome: r.outcome,
    exitCode: r.exitCode,
    dryRun: r.dryRun,
    error: r.error ?? null,
    requests: r.requests,
    files: r.files.map((f) => ({
      path: f.path,
      projectId: f.projectId,
      outcome: f.outcome,
      remoteOps: f.remoteOps,
      localChanges: f.localChanges,
      conflicts: f.conflicts.map((c) => ({
        taskId: c.taskId,
        field: c.field,
        base: c.base,
        local: c.local,
        remote: c.remote,
        winner: c.winner,
      })),
      pendingConflicts: (f.pending ?? []).map((c) => ({ taskId: c.taskId, field: c.field, winner: c.winner })),
      diagnostics: f.diagnostics.map((d) => ({ line: d.line, severity: d.severity, message: d.message })),
      error: f.error ?? null,
      ...(r.dryRun && f.plan !== undefined ? { plan: { remote: f.plan.remote, local: f.plan.local } } : {}),
    })),
  };
}
