import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { hashContent, readLock, type Journal, type LockInfo, type RunRow } from '../journal/index.js';
import type { Field } from '../model/task.js';
import { readDaemonInfo, type DaemonInfo } from './presence.js';

/** The `status --json` document (stable; documented in the README). */
export interface StatusReport {
  root: string;
  stateDir: string;
  /** The running daemon, or null. */
  daemon: DaemonInfo | null;
  /** Who holds the engine lock right now (a pass in progress), or null. */
  lock: LockInfo | null;
  files: FileStatus[];
  /** Linked files whose content differs from what was last synced. */
  pendingLocal: number;
  /** Remote changes are only known by reading Taskade; `status` never does (it needs no token). */
  pendingRemote: null;
  conflicts: ConflictStatus[];
  runs: RunRow[];
  budget: { requestsPerMinute: number; lastHour: { reads: number; writes: number; total: number }; perHour: number };
}

export interface FileStatus {
  path: string;
  projectId: string;
  /** `in-sync`: content as last synced; `changed`: edited since; `missing`: the file is gone; `new`: never synced. */
  state: 'in-sync' | 'changed' | 'missing' | 'new';
  lastSyncedAt: number;
  poll: { lastPolledAt: number; lastChangedAt: number; intervalMs: number } | null;
  conflicts: number;
  /**
   * Sections (headings) that hold values in Taskade a heading cannot show: a completion, a note,
   * a date or assignees. They stay on Taskade and in the journal; this is where a user sees them.
   */
  sections: Array<{
    taskId: string;
    text: string;
    completed: boolean;
    note: string | null;
    due: string | null;
    assignees: string[];
  }>;
}

export interface ConflictStatus {
  path: string | null;
  projectId: string;
  taskId: string;
  field: Field;
  local: unknown;
  remote: unknown;
  winner: 'local' | 'remote';
  at: number;
}

const HOUR = 3_600_000;

/** Reads everything `status` shows from the config, the state dir and the files. No network. */
export function collectStatus(config: ResolvedConfig, journal: Journal | null, now: number): StatusReport {
  const links = journal?.listLinks() ?? [];
  const conflictRows = journal?.listConflicts() ?? [];
  const pathOf = new Map(links.map((l) => [l.projectId, l.path]));
  const files: FileStatus[] = links.map((l) => {
    const abs = join(config.root, l.path);
    let state: FileStatus['state'];
    if (!existsSync(abs)) state = 'missing';
    else if (l.fileHash === null) state = 'new';
    else state = hashContent(readFileSync(abs, 'utf8')) === l.fileHash ? 'in-sync' : 'changed';
    const poll = journal?.getPollState(l.projectId) ?? null;
    return {
      path: l.path,
      projectId: l.projectId,
      state,
      lastSyncedAt: l.updatedAt,
      poll:
        poll === null
          ? null
          : { lastPolledAt: poll.lastPolledAt, lastChangedAt: poll.lastChangedAt, intervalMs: poll.intervalMs },
      conflicts: conflictRows.filter((c) => c.projectId === l.projectId).length,
      sections: (journal?.getBase(l.projectId) ?? [])
        .filter(
          (t) => t.kind === 'section' && (t.completed || t.note !== null || t.due !== null || t.assignees.length > 0),
        )
        .map((t) => ({
          taskId: t.id,
          text: t.text,
          completed: t.completed,
          note: t.note,
          due: t.due === null ? null : t.due.date,
          assignees: t.assignees,
        })),
    };
  });
  const recent = (journal?.lastRuns(10_000) ?? []).filter((r) => r.startedAt >= now - HOUR);
  const reads = recent.reduce((n, r) => n + (r.counts.reads ?? 0), 0);
  const writes = recent.reduce((n, r) => n + (r.counts.writes ?? 0), 0);
  return {
    root: config.root,
    stateDir: config.stateDir,
    daemon: readDaemonInfo(config.stateDir),
    lock: readLock(config.stateDir),
    files,
    pendingLocal: files.filter((f) => f.state === 'changed').length,
    pendingRemote: null,
    conflicts: conflictRows.map((c) => ({
      path: pathOf.get(c.projectId) ?? null,
      projectId: c.projectId,
      taskId: c.taskId,
      field: c.field,
      local: c.local,
      remote: c.remote,
      winner: c.winner,
      at: c.at,
    })),
    runs: journal?.lastRuns(5) ?? [],
    budget: {
      requestsPerMinute: config.requestsPerMinute,
      lastHour: { reads, writes, total: reads + writes },
      perHour: config.requestsPerMinute * 60,
    },
  };
}

function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

const STATE_WORDS: Record<FileStatus['state'], string> = {
  'in-sync': 'in sync',
  changed: 'changed locally (not synced yet)',
  missing: 'MISSING (the link stays until the daemon or `sync` notices)',
  new: 'linked, never synced',
};

/** The readable form of a status report. */
export function renderStatus(r: StatusReport, now: number): string {
  const out: string[] = [];
  out.push(`notes root  ${r.root}`);
  out.push(
    r.daemon === null
      ? 'daemon      not running (start it with `taskade-sync watch`)'
      : `daemon      running (pid ${r.daemon.pid} on ${r.daemon.hostname}, since ${new Date(r.daemon.since).toISOString()})`,
  );
  if (r.lock !== null)
    out.push(`lock        held by pid ${r.lock.pid} (${r.lock.purpose}) since ${ago(r.lock.since, now)}`);
  out.push('');
  if (r.files.length === 0) out.push('No linked files. Link one with `taskade-sync link FILE --project ID`.');
  for (const f of r.files) {
    const poll =
      f.poll === null
        ? 'not polled yet'
        : `polled ${ago(f.poll.lastPolledAt, now)}, every ${Math.round(f.poll.intervalMs / 1000)} s`;
    const conflicts = f.conflicts > 0 ? `, ${f.conflicts} conflict${f.conflicts === 1 ? '' : 's'}` : '';
    out.push(`  ${f.path} ⇄ ${f.projectId}: ${STATE_WORDS[f.state]}${conflicts}; ${poll}`);
    for (const sec of f.sections) {
      const held = [
        sec.completed ? 'completed' : null,
        sec.note !== null ? `note ${JSON.stringify(sec.note)}` : null,
        sec.due !== null ? `due ${sec.due}` : null,
        sec.assignees.length > 0 ? `assigned to ${sec.assignees.map((a) => `@${a}`).join(' ')}` : null,
      ].filter((x) => x !== null);
      out.push(`    section “${sec.text}” in Taskade: ${held.join(', ')} (a heading cannot show it; kept)`);
    }
  }
  out.push('');
  out.push(
    `pending     ${r.pendingLocal} local change${r.pendingLocal === 1 ? '' : 's'}; remote changes unknown (status does not read Taskade: run \`taskade-sync sync --dry-run\`)`,
  );
  if (r.conflicts.length > 0) {
    out.push(`conflicts   ${r.conflicts.length} (resolve by editing the marker beside the task away):`);
    for (const c of r.conflicts) {
      out.push(
        `  ${c.path ?? c.projectId} task ${c.taskId} ${c.field}: local ${JSON.stringify(c.local)} / remote ${JSON.stringify(c.remote)} (${c.winner} kept)`,
      );
    }
  } else out.push('conflicts   none');
  out.push(
    `budget      ${r.budget.lastHour.total} requests in the last hour (${r.budget.lastHour.reads} reads, ${r.budget.lastHour.writes} writes) of ${r.budget.perHour} (${r.budget.requestsPerMinute}/min)`,
  );
  if (r.runs.length > 0) {
    out.push('last runs');
    for (const run of r.runs) {
      const outcome = run.finishedAt === null ? 'unfinished' : (run.outcome ?? '?');
      out.push(
        `  ${ago(run.startedAt, now).padEnd(11)} ${run.kind.padEnd(5)} ${outcome.padEnd(9)} ${run.counts.reads ?? 0} reads, ${run.counts.writes ?? 0} writes${run.error ? ` — ${run.error}` : ''}`,
      );
    }
  }
  return out.join('\n') + '\n';
}
