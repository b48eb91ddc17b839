import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashContent } from '../journal/index.js';
import { parseOutline, renderChanges, type Outline } from '../markdown/index.js';
import type { LocalChange, NewItem } from '../model/local-change.js';
import { SyncError } from '../model/errors.js';
import { fieldEquals, NEW_ID_PREFIX, type RemoteTaskRecord } from '../model/task.js';
import { plan as makePlan } from '../reconcile/index.js';
import type { LocalTask, PendingConflict, RemoteOp } from '../reconcile/types.js';
import { isTaskadeError, toSyncError, type TaskList } from '../taskade/index.js';
import { adoptIntents, type Adoption } from '../reconcile/adopt.js';
import { alignWithBase } from '../reconcile/align.js';
import { applyRemote } from './apply-remote.js';
import { projectOfFile } from './discover.js';
import { readNote } from './read-note.js';
import { alignedWithoutId, headingsWithIds, localView } from './local-view.js';
import { baseWithoutFileWrite, nextBase } from '../reconcile/next-base.js';
import { RemoteMirror } from './remote-mirror.js';
import { scheduleOps } from '../reconcile/schedule.js';
import { crowdedIds } from './short-id-index.js';
import { readRemote, remoteText, subresourceTargets } from './remote-view.js';
import type { RequestCounter } from './request-counter.js';
import type { EngineDeps, FileReport, SyncRequest } from './types.js';
import { writeFileIfUnchanged } from './write-file.js';

export interface FileRunContext {
  deps: EngineDeps;
  request: SyncRequest;
  counter: RequestCounter;
  now: () => number;
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

/**
 * One file, one project: read → plan → apply → commit (DESIGN §3). Decisions are the planner's;
 * this function only gathers the three views and carries out the plan, committing to the journal
 * only what happened on both sides.
 */
export async function syncFile(ctx: FileRunContext, path: string, attempt = 0): Promise<FileReport> {
  const { deps, request } = ctx;
  const { journal, client, logger, config } = deps;
  const abs = join(deps.root, path);
  const report: FileReport = {
    path,
    projectId: null,
    outcome: 'unchanged',
    remoteOps: 0,
    localChanges: 0,
    conflicts: [],
    diagnostics: [],
  };

  let source: string;
  try {
    source = readNote(deps.root, path);
  } catch (error) {
    return skip(report, `cannot read ${path}: ${(error as Error).message}`);
  }
  const fileHash = hashContent(source);
  const outline = parseOutline(source, { path });
  report.diagnostics = outline.diagnostics.map((d) => ({ ...d, file: path }));
  for (const d of outline.diagnostics) {
    logger.event({
      level: d.severity === 'error' ? 'error' : 'warn',
      type: 'diagnostic',
      file: path,
      line: d.line,
      message: d.message,
    });
  }
  if (outline.diagnostics.some((d) => d.severity === 'error')) {
    // Never read a file we do not understand as "its tasks were deleted" (DESIGN §6 property 9).
    return skip(report, `${path} has parse errors; skipped (nothing is changed on either side)`);
  }
  const projectId = projectOfFile(config, path, outline.project);
  report.projectId = projectId;
  if (projectId === null)
    return skip(report, `${path} is not linked to a project (no \`taskade.project\` front matter, no mapping)`);

  // The link: follow a renamed file; a file whose front matter now names another project drops the old link.
  const byPath = journal.getLinkByPath(path);
  const byProject = journal.getLinkByProject(projectId);
  if (byProject !== null && byProject.path !== path && existsSync(join(deps.root, byProject.path))) {
    return skip(
      report,
      `project ${projectId} is linked to both ${byProject.path} and ${path}; unlink one (remove its front matter link)`,
    );
  }
  if (request.dryRun !== true) {
    const at = ctx.now();
    if (byPath !== null && byPath.projectId !== projectId) {
      journal.removeLink(byPath.projectId);
      logger.event({
        level: 'warn',
        type: 'relink',
        file: path,
        message: `now linked to ${projectId} instead of ${byPath.projectId}`,
      });
    }
    if (byProject !== null && byProject.path !== path) journal.moveLink(projectId, path, at);
    else if (byProject === null) journal.upsertLink({ path, projectId, fileHash: null, at });
  }

  // Remote: the task list (or the poller's copy), then sub-resources only where they may differ.
  let list: TaskList;
  try {
    // A re-plan reads afresh: the poller's list predates what the first attempt created, moved or
    // deleted, and planning against it would create those tasks again and bring deleted ones back.
    const given = attempt === 0 ? request.remoteLists?.get(projectId) : undefined;
    if (given !== undefined) list = given;
    else {
      list = await client.listTasks(projectId, { signal: request.signal });
      ctx.counter.reads += list.pages;
    }
  } catch (error) {
    return failRequest(report, error, `cannot read the tasks of project ${projectId}`);
  }
  const storedBase = journal.hasBase(projectId) ? journal.getBase(projectId) : null;
  const known = [...(storedBase ?? []).map((t) => t.id), ...list.tasks.map((t) => t.id)];
  const view = localView(outline, known);
  // `ids: "none"`: the file carries no ids; identity comes from aligning it with the base. With
  // block ids, headings too: they carry none (DESIGN §2, Identity).
  const withIds = alignWithBase(view.tasks, storedBase, config.ids === 'none' ? undefined : alignedWithoutId);
  const adopted = adoptIntents(
    journal.listIntents(projectId),
    list.tasks.map((t) => ({ ...t, text: remoteText(t.text) })),
    storedBase,
    withIds,
  );
  if (request.dryRun !== true && adopted.dropped.length > 0) {
    journal.transaction(() => adopted.dropped.forEach((i) => journal.dropIntent(i.id)));
  }
  for (const a of adopted.adoptions) {
    logger.event({
      level: 'info',
      type: 'adopt',
      file: path,
      taskId: a.taskId,
      message: `adopted “${a.intent.text}”, created by an earlier run whose answer was lost`,
    });
  }
  let remote: RemoteTaskRecord[];
  try {
    const targets = subresourceTargets(list.tasks, adopted.base, request.subresourceReads?.get(projectId) ?? []);
    remote = await readRemote(client, projectId, list.tasks, targets, ctx.counter, request.signal);
  } catch (error) {
    return failRequest(report, error, `cannot read the notes, dates or assignees of project ${projectId}`);
  }
  const pending: PendingConflict[] = journal
    .listConflicts(projectId)
    .map((c) => ({ taskId: c.taskId, field: c.field, winner: c.winner }));
  // With no base, the planner cannot tell a lost create's defaults (open, no note…) from a remote
  // choice, and would report conflicts: for adopted tasks, plan with the local values and push the
  // differences from what Taskade holds ourselves (all sub-resources were read: there is no base).
  const adoptedFix =
    adopted.base === null ? adoptedWithoutBase(adopted.adoptions, adopted.local, remote) : { remote, ops: [] };
  const planned = makePlan({
    base: adopted.base,
    local: adopted.local,
    remote: adoptedFix.remote,
    pending,
    options: { conflictWinner: config.conflictWinner, deleteGuard: config.deleteGuard, force: request.force === true },
  });
  const plan = adoptedFix.ops.length === 0 ? planned : { ...planned, remote: [...planned.remote, ...adoptedFix.ops] };
  report.conflicts = plan.conflicts;
  report.pending = plan.stillPending;
  report.remoteOps = plan.remote.length;
  report.localChanges = plan.local.length;

  const keyOf = new Map(adopted.local.map((t) => [t.id, t.key] as const));
  const lineOfKey = view.lineOf;
  const lineOf = (id: string): number | undefined => {
    const key = keyOf.get(id);
    return key === undefined ? undefined : lineOfKey.get(key);
  };

  if (plan.guard !== null && request.force !== true) {
    const g = plan.guard;
    const message =
      g.reason === 'empty-side'
        ? `the ${g.side} side is empty while the journal holds ${g.total} tasks; nothing changed (run with --force if this is intended)`
        : `this run would delete ${g.deletes} of ${g.total} tasks on the ${g.side} side; nothing changed (run with --force if this is intended)`;
    logger.event({ level: 'error', type: 'guard', file: path, message, data: { ...g } });
    report.outcome = 'guard';
    report.error = message;
    report.plan = plan;
    return report;
  }
  if (request.dryRun === true) {
    report.plan = plan;
    report.outcome =
      plan.remote.length + plan.local.length === 0
        ? plan.stillPending.length > 0
          ? 'conflicts'
          : 'unchanged'
        : 'synced';
    return report;
  }

  // Apply: remote first (creates give the ids the file needs), then the file.
  const applied = await applyRemote({
    projectId,
    file: path,
    ops: scheduleOps(plan.remote),
    client,
    journal,
    mirror: new RemoteMirror(list.tasks),
    rootId: list.rootId,
    counter: ctx.counter,
    logger,
    now: ctx.now,
    lineOf,
    signal: request.signal,
  });

  const changes: LocalChange[] = [...plan.local];
  const idChanges = new Map<string, string>(); // key → Taskade id written into the file
  for (const [ref, id] of applied.created) {
    // Refs are `new:<outline key>`, for new items and for restored ones alike.
    const key = ref.slice(NEW_ID_PREFIX.length);
    if (lineOfKey.has(key)) idChanges.set(key, id);
  }
  for (const a of adopted.adoptions) if (a.localKey !== null) idChanges.set(a.localKey, a.taskId);
  for (const [key, id] of headingsWithIds(outline, adopted.local)) if (!idChanges.has(key)) idChanges.set(key, id);
  for (const [key, id] of idChanges) changes.push({ type: 'set-id', key, id });

  const toWrite = config.ids === 'none' ? withoutIds(changes) : changes;
  // Block ids unique among the project's ids (base, remote, created), not only the file's.
  const projectIds = crowdedIds([...known, ...applied.created.values()]);
  const rendered = toWrite.length === 0 ? source : renderChanges(source, outline, toWrite, { projectIds });
  let written = rendered === source;
  let held = false;
  if (!written) {
    if (request.holdLocalWrite?.(path) === true) {
      held = true;
      logger.event({
        level: 'info',
        type: 'held',
        file: path,
        message: 'the file is being edited; its changes from Taskade wait until it is quiet',
      });
    } else if (writeOrReport()) {
      written = true;
      logLocalChanges(plan.local, outline, path, logger);
    } else if (report.outcome === 'failed') {
      // The file cannot be written at all: what Taskade did is kept as if the write were held.
      commit(false);
      if (applied.fatal !== null) throw new FatalRunError(applied.fatal, report);
      return report;
    } else if (attempt === 0) {
      commit(false);
      logger.event({
        level: 'info',
        type: 'replan',
        file: path,
        message: 'the file changed while syncing; planning it again',
      });
      return syncFile(ctx, path, 1);
    } else {
      commit(false);
      report.outcome = 'failed';
      report.failure = 'other';
      report.error = `${path} kept changing while it was synced; its remote changes wait for the next run`;
      return report;
    }
  }
  commit(written);

  for (const c of plan.conflicts) {
    logger.event({
      level: 'warn',
      type: 'conflict',
      file: path,
      line: lineOf(c.taskId),
      taskId: c.taskId,
      message: `conflict on ${c.field}: ${c.winner} value kept, the other is shown beside the task`,
    });
  }
  report.localChanges = written && rendered !== source ? changes.length : 0;
  if (applied.fatal !== null) {
    report.outcome = 'failed';
    report.error = applied.fatal.message;
    throw new FatalRunError(applied.fatal, report);
  }
  if (applied.failed.length > 0) {
    report.outcome = 'failed';
    report.failure = applied.unreachable ? 'unreachable' : 'other';
    report.error = `${applied.failed.length} of ${plan.remote.length} Taskade requests failed (first: ${applied.failed[0]!.error}); the next run finishes them`;
  } else if (held) report.outcome = 'held';
  else if (plan.conflicts.length > 0 || plan.stillPending.length > 0) report.outcome = 'conflicts';
  else report.outcome = plan.remote.length > 0 || rendered !== source ? 'synced' : 'unchanged';
  for (const r of applied.refused)
    report.diagnostics.push({
      file: path,
      line: lineOf('id' in r.op ? r.op.id : r.op.ref) ?? 0,
      message: r.error,
      severity: 'warning',
    });
  return report;

  /** The atomic write; false when the file changed meanwhile, or (outcome 'failed') when it cannot be written. */
  function writeOrReport(): boolean {
    try {
      return writeFileIfUnchanged(abs, rendered, fileHash);
    } catch (error) {
      report.outcome = 'failed';
      report.failure = 'other';
      report.error = `cannot write ${path}: ${(error as Error).message}; its changes from Taskade wait for the next run`;
      logger.event({ level: 'error', type: 'file-failed', file: path, message: report.error });
      return false;
    }
  }

  function commit(fileWritten: boolean): void {
    const at = ctx.now();
    // Not written: remember the text this pass planned from, not whatever is on disk now. A save
    // that landed during the pass must not look like our own write (the daemon's echo check), or
    // it would wait for the next poll and `status` would call the file in sync.
    const finalText = fileWritten ? rendered : source;
    const failedOps = new Set(applied.failed.map((f) => f.op));
    journal.transaction(() => {
      if (fileWritten) {
        const base = nextBase({
          target: plan.target,
          oldBase: adopted.base,
          remote,
          created: applied.created,
          failed: [...applied.failed, ...applied.refused].map((f) => f.op),
        });
        journal.replaceBase(projectId!, base, at);
      } else if (storedBase !== null) {
        // The stored base, not the one with this run's adoptions: their ids are not in the file yet,
        // so their intents stay and the next run adopts them again (a base row would hide the task
        // from adoption, and the next run would delete it and create the item afresh).
        const deleted = plan.remote
          .filter((op) => op.op === 'delete' && !failedOps.has(op))
          .map((op) => (op as { id: string }).id);
        journal.replaceBase(projectId!, baseWithoutFileWrite(storedBase, deleted), at);
      }
      // An intent ends once its task's id is in the file (or its item is gone).
      for (const [ref, intentId] of applied.intents) {
        const id = applied.created.get(ref);
        if (id !== undefined && fileWritten) journal.resolveIntent(intentId, id);
      }
      if (fileWritten) for (const a of adopted.adoptions) journal.resolveIntent(a.intent.id, a.taskId);
      if (fileWritten) {
        for (const c of plan.conflicts) journal.putConflict({ projectId: projectId!, ...c, at });
        for (const r of plan.resolved) journal.clearConflict(projectId!, r.taskId, r.field);
      }
      journal.setRootId(projectId!, list.rootId);
      journal.setFileHash(projectId!, hashContent(finalText), at);
    });
  }

  function skip(r: FileReport, message: string): FileReport {
    r.outcome = 'skipped';
    r.error = message;
    logger.event({ level: 'warn', type: 'skip-file', file: path, message });
    return r;
  }

  function failRequest(r: FileReport, error: unknown, what: string): FileReport {
    r.outcome = 'failed';
    if (!isTaskadeError(error)) {
      if (request.signal?.aborted !== true) throw error;
      r.failure = 'other';
      r.error = `${what}: stopped`;
      return r;
    }
    const message = `${what}: ${error.message}`;
    r.error = message;
    r.failure = error.kind === 'transient' ? 'unreachable' : 'other';
    logger.event({ level: 'error', type: 'request-failed', file: path, message });
    if (error.kind !== 'item') {
      throw new FatalRunError(toSyncError(error), r);
    }
    return r;
  }
}

function adoptedWithoutBase(
  adoptions: readonly Adoption[],
  local: readonly LocalTask[],
  remote: RemoteTaskRecord[],
): { remote: RemoteTaskRecord[]; ops: RemoteOp[] } {
  const localById = new Map(local.map((t) => [t.id, t] as const));
  const adopted = new Set(adoptions.filter((a) => a.localKey !== null).map((a) => a.taskId));
  if (adopted.size === 0) return { remote, ops: [] };
  const ops: RemoteOp[] = [];
  const out = remote.map((r) => {
    const l = localById.get(r.id);
    if (!adopted.has(r.id) || l === undefined) return r;
    if (l.completed !== r.completed) ops.push({ op: 'set-completed', id: r.id, completed: l.completed });
    if (r.note !== undefined && l.note !== r.note) ops.push({ op: 'set-note', id: r.id, note: l.note });
    if (r.due !== undefined && !fieldEquals('due', l.due, r.due)) ops.push({ op: 'set-due', id: r.id, due: l.due });
    if (r.assignees !== undefined && !fieldEquals('assignees', l.assignees, r.assignees)) {
      ops.push({ op: 'set-assignees', id: r.id, assignees: l.assignees, previous: r.assignees });
    }
    return { ...r, completed: l.completed, note: l.note, due: l.due, assignees: l.assignees };
  });
  return { remote: out, ops };
}

/** For `ids: "none"`: the same changes, writing no block id anywhere. */
function withoutIds(changes: LocalChange[]): LocalChange[] {
  const strip = (item: NewItem): NewItem => ({ ...item, id: null, children: item.children.map(strip) });
  return changes
    .filter((c) => c.type !== 'set-id')
    .map((c) => (c.type === 'insert' ? { ...c, item: strip(c.item) } : c));
}

function logLocalChanges(changes: LocalChange[], outline: Outline, path: string, logger: EngineDeps['logger']): void {
  const lines = new Map<string, number>();
  const visit = (nodes: Outline['tasks']): void => {
    for (const n of nodes) {
      lines.set(n.key, n.line);
      visit(n.children);
    }
  };
  visit(outline.tasks);
  for (const c of changes) {
    const key = c.type === 'insert' ? c.item.key : c.key;
    const what =
      c.type === 'insert'
        ? `added “${c.item.values.text}”`
        : c.type === 'remove'
          ? 'removed'
          : c.type === 'move'
            ? 'moved'
            : c.type === 'set-conflicts'
              ? 'conflict markers updated'
              : c.type === 'set-id'
                ? 'id written'
                : `updated ${Object.keys(c.values).join(', ')}`;
    logger.event({
      level: 'info',
      type: 'local-write',
      file: path,
      line: lines.get(key),
      taskId: c.type === 'insert' ? (c.item.id ?? undefined) : undefined,
      message: what,
    });
  }
}
