import { syncOnce, type FileReport, type SyncReport } from '../../engine/index.js';
import type { RemoteOp } from '../../reconcile/index.js';
import type { Journal } from '../../journal/index.js';
import { DRY_RUN, JSON_OUT, parseCommandArgs, QUIET, VERBOSE } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { openEngine } from '../context.js';
import { checkFileArgs } from '../file-args.js';
import { relativeToRoot } from '../paths.js';
import { unifiedDiff } from '../unified-diff.js';
import { TEXT_IN_LOG } from '../../daemon/log-output.js';

const usage = `Usage: taskade-sync sync [FILE…] [--dry-run] [--json] [--force] [--deep] [--quiet] [--verbose]

One sync pass over every linked file (or the FILEs given), then exit.

Options:
  -n, --dry-run   change nothing anywhere; print, per file, the Taskade changes by task text
                  and a unified diff of what the file would become (with --json: the plan)
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
      const stopped = ctx.stopped();
      if (stopped !== null) return stopped;
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

/**
 * The readable dry run, per file: the Taskade changes by task text, then a unified diff of what
 * the file would become, then the counts by kind. (`--dry-run --json` keeps the machine form.)
 */
export function describePlan(r: SyncReport): string {
  const out: string[] = [];
  for (const f of r.files) {
    if (f.plan === undefined) continue;
    const { remote, local } = f.plan;
    const diff =
      f.preview === undefined
        ? ''
        : unifiedDiff(f.preview.before, f.preview.after, { from: `a/${f.path}`, to: `b/${f.path}` });
    if (remote.length === 0 && diff === '') continue;
    out.push(`${f.path} (project ${f.projectId ?? '?'}):`);
    if (remote.length > 0) {
      const name = namer(f.preview?.texts ?? {}, remote);
      const was = namer(f.preview?.taskadeTexts ?? {}, []);
      out.push('  to Taskade:');
      for (const op of remote) out.push(`    ${describeOp(op, name, was)}`);
    }
    if (diff !== '') out.push(`  the file would become:`, ...diff.trimEnd().split('\n'));
    const counts = [
      remote.length > 0 ? `${countByKind(remote.map((op) => op.op))} to Taskade` : null,
      local.length > 0 ? `${countByKind(local.map((c) => c.type))} in the file` : null,
    ].filter((c) => c !== null);
    out.push(`  ${f.path}: ${counts.join('; ') || 'no change'}`, '');
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

function countByKind(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** “text” of a task id (or of a task this run creates, by its ref), cut to one short line. */
type Namer = (id: string | null) => string;

function namer(texts: Record<string, string>, ops: RemoteOp[]): Namer {
  const created = new Map(ops.flatMap((op) => (op.op === 'create' ? [[op.ref, op.text] as const] : [])));
  return (id) => {
    if (id === null) return '(top level)';
    const text = created.get(id) ?? texts[id];
    return text === undefined ? id : quoted(text);
  };
}

function quoted(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > TEXT_IN_LOG ? `${flat.slice(0, TEXT_IN_LOG - 1)}…` : flat}”`;
}

function describeOp(op: RemoteOp, name: Namer, was: Namer): string {
  switch (op.op) {
    case 'create':
      return `create ${name(op.ref)}${op.parent === null ? '' : ` under ${name(op.parent)}`}`;
    case 'update-text':
      return `rename ${was(op.id)} → ${quoted(op.text)}`;
    case 'set-completed':
      return `${op.completed ? 'complete' : 'reopen'} ${name(op.id)}`;
    case 'move':
      return `move ${name(op.id)} under ${name(op.parent)}, ${op.after === null ? 'first' : `after ${name(op.after)}`}`;
    case 'delete':
      return `delete ${name(op.id)} and its subtree`;
    case 'set-note':
      return `${op.note === null ? 'remove the note of' : 'set the note of'} ${name(op.id)}`;
    case 'set-due':
      return op.due === null
        ? `remove the due date of ${name(op.id)}`
        : `due ${op.due.date}${op.due.time !== null ? ` ${op.due.time}` : ''} on ${name(op.id)}`;
    case 'set-assignees':
      return `assign ${name(op.id)} to ${op.assignees.map((h) => `@${h}`).join(' ') || '(nobody)'}`;
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
