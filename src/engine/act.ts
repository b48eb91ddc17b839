import { hashContent, type IntentAnswer } from '../journal/index.js';
import { renderChanges, type Outline } from '../markdown/index.js';
import { isNewId, NEW_ID_PREFIX, type TaskRecord } from '../model/task.js';
import type { LocalChange } from '../model/local-change.js';
import { fileChanges, fileOutcome } from '../reconcile/decide.js';
import { keepHeldRows } from '../reconcile/moved.js';
import { baseWithoutFileWrite, nextBase } from '../reconcile/next-base.js';
import { scheduleOps } from '../reconcile/schedule.js';
import type { Plan } from '../reconcile/types.js';
import { applyRemote, type ApplyRemoteResult } from './apply-remote.js';
import { finishCarried } from './carry.js';
import { FatalRunError, type FileRunContext } from './file-run.js';
import { taskTexts, type Gathered } from './gather.js';
import { hashTaskList } from './list-hash.js';
import { anchorsOf, headingsWithIds, notRemoved } from './local-view.js';
import { RemoteMirror } from './remote-mirror.js';
import { crowdedIds } from './short-id-index.js';
import type { EngineDeps, FileReport } from './types.js';

/** The file changed on disk while it was synced: plan it again from a fresh read. */
export const REPLAN = Symbol('replan');

/**
 * Carries out a plan: Taskade first (creates give the ids the file needs), then the file (only if
 * it still holds what the plan was made from), then the journal — which commits only what happened
 * on both sides. Returns `REPLAN` when the file changed meanwhile and `mayReplan`; otherwise the
 * file's report (or throws `FatalRunError` when Taskade's answer ends the run).
 */
export async function act(
  ctx: FileRunContext,
  g: Gathered,
  plan: Plan,
  report: FileReport,
  mayReplan: boolean,
): Promise<FileReport | typeof REPLAN> {
  const { deps, request, notes } = ctx;
  const { journal, client, logger, config } = deps;
  const { path, projectId, source, outline, adopted } = g;
  const keyOf = new Map(adopted.local.map((t) => [t.id, t.key] as const));
  const lineOf = (id: string): number | undefined => {
    const key = keyOf.get(id);
    return key === undefined ? undefined : g.lineOfKey.get(key);
  };
  const { texts } = taskTexts(g);

  // A conflict the local side wins overwrites Taskade's value: keep the loser in the journal
  // first. Once pushed, the next pass sees the same value on both sides and the other would be
  // gone, while the file that should show it may not be written in this pass (being edited,
  // changed meanwhile) or the process may stop. Its marker is then owed, and written later.
  // (A task carried in from another file is new here: the loser stays in its old task until the
  // file shows the marker.)
  const overwritten = plan.conflicts.filter((c) => c.winner === 'local' && !isNewId(c.taskId));
  if (overwritten.length > 0) {
    const at = ctx.now();
    journal.transaction(() => {
      for (const c of overwritten) journal.putConflict({ projectId, ...c, at, markerOwed: true });
    });
  }

  const applied = await applyRemote({
    projectId,
    file: path,
    ops: scheduleOps(plan.remote),
    client,
    journal,
    mirror: new RemoteMirror(g.list.tasks),
    rootId: g.list.rootId,
    counter: ctx.counter,
    logger,
    now: ctx.now,
    lineOf,
    textOf: (id) => texts.get(id),
    signal: request.signal,
  });

  // A list is still this project's list as long as this run changed nothing in it.
  if (plan.remote.length === 0) ctx.lists.set(projectId, g.list);
  else ctx.lists.delete(projectId);

  const changes = fileChanges({
    local: plan.local,
    created: applied.created,
    adoptions: adopted.adoptions,
    keys: new Set(g.lineOfKey.keys()),
    headingIds: new Map([
      ...headingsWithIds(outline, adopted.local),
      ...notRemoved(g.lostIds, adopted.local, plan.local),
      ...copiesOfCarried(g, applied.created),
    ]),
    ids: config.ids === 'none' ? 'none' : 'block',
  });
  // Block ids unique among the project's ids (base, remote, created), not only the file's.
  const projectIds = crowdedIds([...g.known, ...applied.created.values()]);
  const rendered = changes.length === 0 ? source : renderChanges(source, outline, changes, { projectIds });
  let written = rendered === source;
  let held = false;
  /** The base committed with the file written (null: the file was not written). */
  let committedBase: TaskRecord[] | null = null;
  if (!written) {
    if (request.holdLocalWrite?.(path) === true) {
      held = true;
      logger.event({
        level: 'info',
        type: 'held',
        file: path,
        message: 'the file is being edited; its changes from Taskade wait until it is quiet',
      });
    } else {
      const write = writeFile();
      if (write === 'written') {
        written = true;
        logLocalChanges(plan.local, outline, path, logger);
      } else if (write === 'cannot') {
        // The file cannot be written at all: what Taskade did is kept as if the write were held.
        commit(false);
        if (applied.fatal !== null) throw new FatalRunError(applied.fatal, report);
        return report;
      } else if (mayReplan) {
        commit(false);
        logger.event({
          level: 'info',
          type: 'replan',
          file: path,
          message: 'the file changed while syncing; planning it again',
        });
        return REPLAN;
      } else {
        commit(false);
        report.outcome = 'failed';
        report.failure = 'other';
        report.error = `${path} kept changing while it was synced; its remote changes wait for the next run`;
        return report;
      }
    }
  }
  commit(written);
  // Tasks moved in from another file: now created here, their old copies go (engine/carry.ts).
  if (written) await finishCarried(ctx, path, projectId, g.carried, plan, applied);

  for (const c of plan.conflicts) {
    logger.event({
      level: 'warn',
      type: 'conflict',
      file: path,
      line: lineOf(c.taskId),
      taskId: c.taskId,
      message: `conflict on ${c.field}: ${c.winner} value kept, the other is shown beside the task`,
      data: { field: c.field, winner: c.winner, text: texts.get(c.taskId) },
    });
  }
  report.localChanges = written && rendered !== source ? changes.length : 0;
  if (applied.fatal !== null) {
    report.outcome = 'failed';
    report.error = applied.fatal.message;
    throw new FatalRunError(applied.fatal, report);
  }
  report.outcome = fileOutcome({
    failedOps: applied.failed.length,
    held,
    conflicts: plan.conflicts.length,
    stillPending: plan.stillPending.length,
    remoteOps: plan.remote.length,
    fileChanged: rendered !== source,
  });
  if (committedBase !== null && (report.outcome === 'synced' || report.outcome === 'unchanged'))
    report.listHash = hashTaskList({ rootId: g.list.rootId, tasks: committedBase });
  if (report.outcome === 'failed') {
    report.failure = applied.unreachable ? 'unreachable' : 'other';
    report.error = `${applied.failed.length} of ${plan.remote.length} Taskade requests failed (first: ${applied.failed[0]!.error}); the next run finishes them`;
  }
  for (const r of applied.refused)
    report.diagnostics.push({
      file: path,
      line: lineOf('id' in r.op ? r.op.id : r.op.ref) ?? 0,
      message: r.error,
      severity: 'warning',
    });
  return report;

  /** The atomic write: 'changed' when the file changed meanwhile, 'cannot' (report failed) when it cannot be written. */
  function writeFile(): 'written' | 'changed' | 'cannot' {
    try {
      return notes.writeIfUnchanged(path, rendered, g.fileHash) ? 'written' : 'changed';
    } catch (error) {
      report.outcome = 'failed';
      report.failure = 'other';
      report.error = `cannot write ${path}: ${(error as Error).message}; its changes from Taskade wait for the next run`;
      logger.event({ level: 'error', type: 'file-failed', file: path, message: report.error });
      return 'cannot';
    }
  }

  function commit(fileWritten: boolean): void {
    committedBase = commitFile(ctx, g, plan, applied, fileWritten ? rendered : null);
  }
}

/**
 * A dry run's view of the file: as it is and as `act` would render it before Taskade answers (the
 * ids new tasks would get are not known), with the tasks' texts to name them.
 */
export function preview(g: Gathered, plan: Plan, ids: 'block' | 'none'): NonNullable<FileReport['preview']> {
  const changes = fileChanges({
    local: plan.local,
    created: new Map(),
    adoptions: g.adopted.adoptions,
    keys: new Set(g.lineOfKey.keys()),
    headingIds: new Map([
      ...headingsWithIds(g.outline, g.adopted.local),
      ...notRemoved(g.lostIds, g.adopted.local, plan.local),
    ]),
    ids,
  });
  const after =
    changes.length === 0 ? g.source : renderChanges(g.source, g.outline, changes, { projectIds: crowdedIds(g.known) });
  const { texts, taskadeTexts } = taskTexts(g);
  return { before: g.source, after, texts: Object.fromEntries(texts), taskadeTexts: Object.fromEntries(taskadeTexts) };
}

/**
 * The journal after a pass, in one transaction. `written` is the text written into the file, or
 * null when it was not written (held, changed meanwhile, cannot be written). Returns the base
 * committed with the file written, else null.
 */
function commitFile(
  ctx: FileRunContext,
  g: Gathered,
  plan: Plan,
  applied: ApplyRemoteResult,
  written: string | null,
): TaskRecord[] | null {
  const { journal } = ctx.deps;
  const { projectId, adopted, storedBase } = g;
  const at = ctx.now();
  const fileWritten = written !== null;
  // Not written: remember the text this pass planned from, not whatever is on disk now. A save
  // that landed during the pass must not look like our own write (the daemon's echo check), or
  // it would wait for the next poll and `status` would call the file in sync.
  const finalText = written ?? g.source;
  const failedOps = new Set(applied.failed.map((f) => f.op));
  let writtenBase: TaskRecord[] | null = null;
  journal.transaction(() => {
    let committed: TaskRecord[] | null = null;
    if (fileWritten) {
      committed = nextBase({
        target: plan.target,
        oldBase: adopted.base,
        remote: g.remote,
        created: applied.created,
        failed: [...applied.failed, ...applied.refused].map((f) => f.op),
        lists: applied.lists,
      });
      // Tasks that went to another file keep their rows until they are created there.
      committed = keepHeldRows(committed, adopted.base, plan.held);
      journal.replaceBase(projectId, committed, at);
      dropMovesDone(journal, projectId, committed, adopted.local);
      writtenBase = committed;
    } else if (storedBase !== null) {
      // The stored base, not the one with this run's adoptions: their ids are not in the file yet,
      // so their intents stay and the next run adopts them again (a base row would hide the task
      // from adoption, and the next run would delete it and create the item afresh).
      const deleted = plan.remote
        .filter((op) => op.op === 'delete' && !failedOps.has(op))
        .map((op) => (op as { id: string }).id);
      committed = baseWithoutFileWrite(storedBase, deleted);
      journal.replaceBase(projectId, committed, at);
      dropMovesDone(journal, projectId, committed, adopted.local);
    }
    // An intent ends once its task's id is in the file (or its item is gone).
    for (const [ref, intentId] of applied.intents) {
      const id = applied.created.get(ref);
      if (id !== undefined && fileWritten) journal.resolveIntent(intentId, id);
    }
    if (fileWritten) for (const a of adopted.adoptions) journal.resolveIntent(a.intent.id, a.taskId);
    else answerIntents(g, plan, applied, (intentId, taskId, record) => journal.answerIntent(intentId, taskId, record));
    // An assignee write in several requests ends once all of them succeeded (one an earlier run
    // left unfinished ended in gather, once its set was read); one whose task the list did not
    // show, once the base no longer holds the task: a list read in pages may miss a task that
    // moved meanwhile, and a run that restores it reads it again.
    for (const [taskId, op] of applied.assigneeWrites)
      if (!failedOps.has(op)) journal.dropAssigneeWrite(projectId, taskId);
    if (committed !== null) {
      const kept = new Set(committed.map((t) => t.id));
      for (const w of g.assigneeWritesMissing) if (!kept.has(w.taskId)) journal.dropAssigneeWrite(projectId, w.taskId);
    }
    // Items with the user's own block id carry no `^tk-` id: the journal maps the anchor to the task.
    const anchors = anchorsOf(g.outline);
    for (const [ref, id] of applied.created) {
      const anchor = anchors.get(ref.slice(NEW_ID_PREFIX.length));
      if (anchor !== undefined) journal.putAnchor(projectId, anchor, id);
    }
    for (const a of adopted.adoptions) {
      const anchor = a.localKey === null ? undefined : anchors.get(a.localKey);
      if (anchor !== undefined) journal.putAnchor(projectId, anchor, a.taskId);
    }
    if (fileWritten) {
      // A carried task's conflict is on the task it became here (a create ref until then).
      for (const c of plan.conflicts) {
        const taskId = isNewId(c.taskId) ? applied.created.get(c.taskId) : c.taskId;
        if (taskId !== undefined) journal.putConflict({ projectId, ...c, taskId, at });
        else {
          // Not created yet, its marker in the file all the same: the conflict waits on the task
          // it came from, and goes with it once it is created (engine/carry.ts).
          const from = g.carried.from.get(c.taskId.slice(NEW_ID_PREFIX.length));
          if (from !== undefined) journal.putConflict({ ...c, projectId: from.projectId, taskId: from.taskId, at });
        }
      }
      for (const r of plan.resolved) journal.clearConflict(projectId, r.taskId, r.field);
    }
    journal.setFileHash(projectId, hashContent(finalText), at);
  });
  if (fileWritten) {
    const waiting = [...g.movedOut].filter(([, state]) => state === 'waiting').map(([id]) => id);
    ctx.moves.passed(projectId, g.path, plan.held, waiting);
  }
  return writtenBase;
}

/**
 * A copy of a carried item's line (its id and text) gets the item's new id too, so it stays a copy
 * of the task (a copy with the old id would read as a task of its own once the move is done).
 */
function copiesOfCarried(g: Gathered, created: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [copy, key] of g.carried.copies) {
    const id = created.get(`${NEW_ID_PREFIX}${key}`) ?? g.adopted.adoptions.find((a) => a.localKey === key)?.taskId;
    if (id !== undefined) out.set(copy, id);
  }
  return out;
}

/** A move owed ends once its task is gone from the base, or when the file names it again. */
function dropMovesDone(
  journal: EngineDeps['journal'],
  projectId: string,
  base: readonly { id: string }[],
  local: readonly { id: string }[],
): void {
  const moves = journal.listMoves(projectId);
  if (moves.length === 0) return;
  const inBase = new Set(base.map((t) => t.id));
  const named = new Set(local.map((t) => t.id));
  for (const m of moves) if (!inBase.has(m.taskId) || named.has(m.taskId)) journal.dropMove(projectId, m.taskId);
}

/**
 * The file was not written, so the tasks this pass created (or adopted) have no id in it yet:
 * their intents stay open, and get the answer — the task and what Taskade holds for it after this
 * pass (the base as it would be with the file written) — so the next pass adopts each by its id
 * and neither sends nor reads again what this one sent.
 */
function answerIntents(
  g: Gathered,
  plan: Plan,
  applied: ApplyRemoteResult,
  answer: (intentId: number, taskId: string, record: IntentAnswer['record']) => void,
): void {
  const open = [
    ...[...applied.intents].flatMap(([ref, intentId]) => {
      const taskId = applied.created.get(ref);
      return taskId === undefined ? [] : [{ intentId, taskId }];
    }),
    ...g.adopted.adoptions.map((a) => ({ intentId: a.intent.id, taskId: a.taskId })),
  ];
  if (open.length === 0) return;
  const rows = new Map(
    nextBase({
      target: plan.target,
      oldBase: g.adopted.base,
      remote: g.remote,
      created: applied.created,
      failed: [...applied.failed, ...applied.refused].map((f) => f.op),
      lists: applied.lists,
    }).map((r) => [r.id, r] as const),
  );
  for (const { intentId, taskId } of open) {
    const row = rows.get(taskId);
    if (row === undefined) continue; // deleted by this pass: its intent goes with the next one
    const { id: _id, ...record } = row;
    answer(intentId, taskId, record);
  }
}

function logLocalChanges(changes: LocalChange[], outline: Outline, path: string, logger: EngineDeps['logger']): void {
  const lines = new Map<string, number>();
  const texts = new Map<string, string>();
  const visit = (nodes: Outline['tasks']): void => {
    for (const n of nodes) {
      lines.set(n.key, n.line);
      texts.set(n.key, n.text);
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
      data: {
        direction: 'from-taskade',
        change: c.type,
        text: c.type === 'insert' ? c.item.values.text : texts.get(key),
      },
    });
  }
}
