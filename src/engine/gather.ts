import { hashContent, type AssigneeWrite } from '../journal/index.js';
import { parseOutline, type Outline } from '../markdown/index.js';
import type { TaskRecord, RemoteTaskRecord } from '../model/task.js';
import { adoptIntents, type AdoptResult } from '../reconcile/adopt.js';
import { assigneeWritesInFlight, CREATE_GRACE_MS, createsInFlight, holdWaitingItems } from '../reconcile/in-flight.js';
import { alignWithBase } from '../reconcile/align.js';
import type { MovedOut } from '../reconcile/moved.js';
import type { LocalTask, PendingConflict } from '../reconcile/types.js';
import type { TaskList } from '../taskade/index.js';
import { readCarried, type CarriedIn } from './carry.js';
import { projectOfFile } from './discover.js';
import { failRequest, skipFile, type FileRunContext } from './file-run.js';
import { alignedExactly, alignedWithoutId, localView, lostIds } from './local-view.js';
import { memberHandles } from './members.js';
import { readFields, readRemote, remoteText, subresourceTargets } from './remote-view.js';
import type { FileReport } from './types.js';

/** The three views of one file's project, read through the ports (DESIGN §3: L, R, B). */
export interface Gathered {
  path: string;
  projectId: string;
  /** The file's text as read, and its hash (the precondition of the write). */
  source: string;
  fileHash: string;
  outline: Outline;
  /** The remote task list (the poller's copy or read now). */
  list: TaskList;
  /** The journal's base as stored, with gather's own update (null: no journal for the project). */
  storedBase: TaskRecord[] | null;
  /** Every id the project is known by (base and list): block ids resolve against them. */
  known: string[];
  /** Outline key → line, for log lines. */
  lineOfKey: Map<string, number>;
  /** The local view with lost creates adopted, and the base with them added. */
  adopted: AdoptResult;
  /** The remote tree, sub-resources read where they may differ. */
  remote: RemoteTaskRecord[];
  pending: PendingConflict[];
  /** Items whose `^tk-` id was dropped and found again (outline key → id): written back. */
  lostIds: Map<string, string>;
  /** Assignee writes whose task the list does not show: they end once the base drops the task. */
  assigneeWritesMissing: AssigneeWrite[];
  /** Base tasks whose items went to another linked file (engine/moves.ts). */
  movedOut: MovedOut;
  /** Items that came from another linked file, with their tasks there as read. */
  carried: CarriedIn;
}

/**
 * Each task's text by id, to name tasks in log lines and dry runs: `texts` is the file's (else
 * Taskade's, else the base's), `taskadeTexts` Taskade's (else the base's) — what a rename replaces.
 */
export function taskTexts(g: Gathered): { texts: Map<string, string>; taskadeTexts: Map<string, string> } {
  const taskadeTexts = new Map([...(g.adopted.base ?? []), ...g.remote].map((t) => [t.id, t.text] as const));
  const texts = new Map([...taskadeTexts, ...g.adopted.local.map((t) => [t.id, t.text] as const)]);
  return { texts, taskadeTexts };
}

/**
 * Reads the file (L), the project's remote tree (R) and the journal's base (B), recording the
 * file's link on the way. Returns the report instead when the file cannot be synced (unreadable,
 * parse errors, not linked, linked twice, Taskade refused a read).
 */
export async function gather(ctx: FileRunContext, report: FileReport, attempt: number): Promise<Gathered | FileReport> {
  const { deps, request, notes } = ctx;
  const { journal, client, logger, config } = deps;
  const path = report.path;

  let source: string;
  try {
    source = notes.read(path);
  } catch (error) {
    return skipFile(ctx, report, `cannot read ${path}: ${(error as Error).message}`);
  }
  const fileHash = hashContent(source);
  let outline = parseOutline(source, { path });
  report.diagnostics = outline.diagnostics.map((d) => ({ ...d, file: path }));
  delete report.recheckAt;
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
    return skipFile(ctx, report, `${path} has parse errors; skipped (nothing is changed on either side)`);
  }
  const projectId = projectOfFile(config, path, outline.project);
  report.projectId = projectId;
  if (projectId === null)
    return skipFile(
      ctx,
      report,
      `${path} is not linked to a project (no \`taskade.project\` front matter, no mapping)`,
    );

  // The link: follow a renamed file; a file whose front matter now names another project drops the old link.
  const byPath = journal.getLinkByPath(path);
  const byProject = journal.getLinkByProject(projectId);
  if (byProject !== null && byProject.path !== path && notes.exists(byProject.path)) {
    return skipFile(
      ctx,
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
    // So does a pass after another file's pass that wrote this project (a task moved away).
    const given = attempt === 0 && !ctx.moves.touched(projectId) ? request.remoteLists?.get(projectId) : undefined;
    if (given !== undefined) list = given;
    else {
      list = await client.listTasks(projectId, { signal: request.signal });
      ctx.counter.reads += list.pages;
    }
  } catch (error) {
    return failRequest(ctx, report, error, `cannot read the tasks of project ${projectId}`);
  }
  const storedBase = journal.hasBase(projectId) ? journal.getBase(projectId) : null;
  // A trailing `@word` is an assignee only when it is a member's handle (“thanks @name” is prose).
  try {
    const isAssignee = await memberHandles(ctx, projectId, outline, storedBase);
    if (isAssignee !== null) outline = parseOutline(source, { path, isAssignee });
  } catch (error) {
    return failRequest(ctx, report, error, `cannot read the members of project ${projectId}`);
  }
  const known = [...(storedBase ?? []).map((t) => t.id), ...list.tasks.map((t) => t.id)];
  // An id that is no task of this project may be one moved in from another linked file.
  const carriedFrom = new Map<string, { projectId: string; taskId: string }>();
  const foreign = new Map<string, { projectId: string; taskId: string }>();
  const view = localView(outline, known, journal.listAnchors(projectId), (short) => {
    const from = ctx.moves.movedIn(path, short);
    if (from !== null) foreign.set(from.taskId, from);
    return from?.taskId ?? null;
  });
  for (const [key, taskId] of view.carried) carriedFrom.set(key, foreign.get(taskId)!);
  // Base tasks the file does not name: some may sit in another linked file now.
  const named = new Set(view.tasks.map((t) => t.id));
  const movedOut: MovedOut = ctx.moves.movedOut(
    projectId,
    (storedBase ?? []).filter((t) => t.kind === 'task' && !named.has(t.id)).map((t) => t.id),
  );
  // `ids: "none"`: the file carries no ids; identity comes from aligning it with the base. With
  // block ids, headings too: they carry none (DESIGN §2, Identity).
  // An item whose id was dropped: found again by exact match only (alignedExactly) — never as a
  // task that moved to another file, and never an item that came from one (it has its id).
  const alignBase = movedOut.size === 0 ? storedBase : (storedBase ?? []).filter((t) => !movedOut.has(t.id));
  const withIds: LocalTask[] =
    config.ids === 'none'
      ? alignWithBase(view.tasks, storedBase)
      : alignWithBase(
          view.tasks,
          alignBase,
          (t) => alignedWithoutId(t) || (alignedExactly(t) && !view.carried.has(t.key)),
          alignedExactly,
        );
  const idsFound = config.ids === 'none' ? new Map<string, string>() : lostIds(outline, view.tasks, withIds);
  let adopted = adoptIntents(
    journal.listIntents(projectId),
    list.tasks.map((t) => ({ ...t, text: remoteText(t.text) })),
    storedBase,
    withIds,
  );
  // An intent the list does not show: dropped (its item is created afresh), unless a run that
  // stopped sent it moments ago and Taskade may still apply it (reconcile/in-flight.ts).
  const at = ctx.now();
  // An answered create is not in flight: its task is gone from Taskade.
  const inFlight = createsInFlight(
    adopted.dropped.filter((i) => i.answer === undefined),
    journal.lastRuns(20),
    ctx.runId ?? null,
    at,
  );
  const knownHere = new Set([...(adopted.base ?? []).map((t) => t.id), ...list.tasks.map((t) => t.id)]);
  const hold = holdWaitingItems(adopted.local, inFlight.waiting, knownHere);
  const drop = [...adopted.dropped.filter((i) => i.answer !== undefined), ...inFlight.gone];
  if (request.dryRun !== true && drop.length > 0) {
    journal.transaction(() => drop.forEach((i) => journal.dropIntent(i.id)));
  }
  if (hold.held.length > 0) {
    adopted = { ...adopted, local: hold.local };
    for (const { intent, item } of hold.held) {
      const message =
        `“${intent.text}”: its create, sent ${Math.round((at - intent.at) / 1000)} s ago by a run that stopped, ` +
        `may still be applied by Taskade; it is not created again before ${new Date(intent.at + CREATE_GRACE_MS).toISOString()} ` +
        '(a run after it lands adopts it)';
      const line = view.lineOf.get(item.key);
      logger.event({ level: 'warn', type: 'create-in-flight', file: path, line, message });
      report.diagnostics.push({ file: path, line: line ?? 0, message, severity: 'warning' });
      report.recheckAt = Math.min(report.recheckAt ?? Infinity, intent.at + CREATE_GRACE_MS);
    }
    if (hold.inside.length > 0) {
      // A task of this project under one that waits: it cannot wait with it, nor be placed under a
      // task Taskade does not have yet. The file waits whole (nothing read as a delete or a move).
      const names = (ts: readonly { text: string }[]) => ts.map((t) => `“${t.text}”`).join(', ');
      return skipFile(
        ctx,
        report,
        `${path} waits for the create of ${names(hold.held.map((h) => h.intent))} (sent by a run that stopped), ` +
          `which holds ${names(hold.inside)}: synced once it lands, or after ${new Date(report.recheckAt!).toISOString()}`,
      );
    }
  }
  // An answered create is no news: its create was logged when it was sent.
  for (const a of adopted.adoptions) {
    if (a.intent.answer !== undefined) continue;
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
    let targets = subresourceTargets(list.tasks, adopted.base, request.subresourceReads?.get(projectId) ?? []);
    if (request.streamDetails === true && storedBase === null && request.dryRun !== true) {
      targets = outlineFirst(targets, list.tasks, adopted.local, (later) => {
        if (later.length > 0) ctx.deferred.set(path, { projectId, ids: later });
      });
    }
    remote = await readRemote(
      client,
      projectId,
      list.tasks,
      targets,
      ctx.counter,
      request.signal,
      request.subresourceValues?.get(projectId),
    );
  } catch (error) {
    return failRequest(ctx, report, error, `cannot read the notes, dates or assignees of project ${projectId}`);
  }
  // Assignee writes an earlier run may have left halfway: their tasks' sets are read (one GET each
  // not read yet), and a set the write may have left is ours, not a remote edit (in-flight.ts).
  const writes = journal.listAssigneeWrites(projectId);
  if (writes.length > 0) {
    const unread = new Map<string, Set<'assignees'>>();
    for (const r of remote)
      if (r.assignees === undefined && writes.some((w) => w.taskId === r.id)) unread.set(r.id, new Set(['assignees']));
    try {
      remote = await readFields(client, projectId, remote, unread, ctx.counter, request.signal);
    } catch (error) {
      return failRequest(ctx, report, error, `cannot read the assignees of project ${projectId}`);
    }
  }
  const assignees = assigneeWritesInFlight(adopted.base, remote, writes);
  adopted = { ...adopted, base: assignees.base };
  // A write found in range ends here: the stored base takes the set read (the same verdicts, on
  // the base without this run's adoptions), so this run's plan and any later one push the file's
  // set over it, and from now on a change of that set in Taskade is an edit like any other. Kept
  // until a run synced the file to completion, the record would let such an edit that happens to
  // lie in range pass for ours, for as long as the file is held or a guard stops the run.
  let base = storedBase;
  if (request.dryRun !== true && assignees.ours.length + assignees.stale.length > 0) {
    if (assignees.ours.length > 0) base = assigneeWritesInFlight(storedBase, remote, assignees.ours).base;
    journal.transaction(() => {
      if (base !== null && base !== storedBase) journal.replaceBase(projectId, base, ctx.now());
      for (const w of [...assignees.ours, ...assignees.stale]) journal.dropAssigneeWrite(projectId, w.taskId);
    });
  }
  let carried: CarriedIn;
  try {
    carried = await readCarried(ctx, path, carriedFrom, view.carriedCopies);
  } catch (error) {
    return failRequest(ctx, report, error, `cannot read the tasks moved into ${path} from other projects`);
  }
  keepSectionValues(adopted.local, remote, adopted.base);
  const pending: PendingConflict[] = journal.listConflicts(projectId).map((c) => ({
    taskId: c.taskId,
    field: c.field,
    winner: c.winner,
    won: c.winner === 'local' ? c.local : c.remote,
    ...(c.markerOwed === true ? { owed: { base: c.base, local: c.local, remote: c.remote } } : {}),
  }));
  return {
    path,
    projectId,
    source,
    fileHash,
    outline,
    list,
    storedBase: base,
    known,
    lineOfKey: view.lineOf,
    adopted,
    remote,
    pending,
    lostIds: idsFound,
    assigneeWritesMissing: assignees.missing,
    movedOut,
    carried,
  };
}

/**
 * A heading shows only its text: a completion, a note, a date or assignees set on a section in
 * Taskade have no place in the file, so the file's section holds Taskade's values (as read, else
 * the base's) and they are never removed or reopened by a sync (DESIGN §2, Sections).
 */
function keepSectionValues(
  local: LocalTask[],
  remote: readonly RemoteTaskRecord[],
  base: readonly TaskRecord[] | null,
): void {
  if (!local.some((t) => t.kind === 'section')) return;
  const remoteById = new Map(remote.map((r) => [r.id, r] as const));
  const baseById = new Map((base ?? []).map((b) => [b.id, b] as const));
  for (const t of local) {
    if (t.kind !== 'section') continue;
    const r = remoteById.get(t.id);
    const b = baseById.get(t.id);
    if (r === undefined && b === undefined) continue;
    t.completed = r?.completed ?? b?.completed ?? false;
    t.note = r?.note !== undefined ? r.note : (b?.note ?? null);
    t.due = r?.due !== undefined ? r.due : (b?.due ?? null);
    t.assignees = r?.assignees !== undefined ? r.assignees : (b?.assignees ?? []);
  }
}

/**
 * The outline first: with no journal, only the tasks that may be one of the file's items (its
 * id is in the file, or its text is an item's text) need their note, date and assignees now — for
 * the others, which the file does not have yet, "not read" reads as empty and the task is written
 * into the file with its text and completion; `later` gets them, to be read and written next.
 */
function outlineFirst(
  targets: Set<string>,
  list: readonly { id: string; text: string }[],
  local: readonly LocalTask[],
  later: (ids: string[]) => void,
): Set<string> {
  const ids = new Set(local.map((t) => t.id));
  const texts = new Set(local.map((t) => t.text));
  const now = new Set<string>();
  const deferred: string[] = [];
  for (const t of list) {
    if (!targets.has(t.id)) continue;
    if (ids.has(t.id) || texts.has(remoteText(t.text))) now.add(t.id);
    else deferred.push(t.id);
  }
  later(deferred);
  return now;
}
