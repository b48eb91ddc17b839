import { isNewId, type Field, type RemoteTaskRecord, type TaskRecord } from '../model/task.js';
import type { Carried } from '../reconcile/moved.js';
import type { Plan } from '../reconcile/types.js';
import { isTaskadeError, type TaskList } from '../taskade/index.js';
import type { ApplyRemoteResult } from './apply-remote.js';
import type { FileRunContext } from './file-run.js';
import { readListOf } from './paged-read.js';
import { readRemote } from './remote-view.js';

/** Items of a file that came, with their `^tk-` id, from another linked file's project. */
export interface CarriedIn {
  /** Outline key → the planner's input (`PlanInput.carried`). */
  plan: Map<string, Carried>;
  /** Outline key → the task it came from. */
  from: Map<string, { projectId: string; taskId: string }>;
  /** Source project → its task list as read this pass. */
  lists: Map<string, TaskList>;
  /** Source project → the carried tasks as read there (every field). */
  read: Map<string, Map<string, RemoteTaskRecord>>;
  /** Copies of carried items' lines: copy's key → the item's key (they get its new id too). */
  copies: Map<string, string>;
}

export const NOTHING_CARRIED: CarriedIn = {
  plan: new Map(),
  from: new Map(),
  lists: new Map(),
  read: new Map(),
  copies: new Map(),
};

/**
 * Reads what the carried items' tasks hold in their old projects: each project's task list (this
 * run's copy when it has one; a read in several pages that misses base tasks is read again) and the note, date and assignees of each carried task (one request
 * each), with the old project's base rows — the remote side and the base of their merge.
 */
export async function readCarried(
  ctx: FileRunContext,
  path: string,
  from: ReadonlyMap<string, { projectId: string; taskId: string }>,
  copies: ReadonlyMap<string, string>,
): Promise<CarriedIn> {
  if (from.size === 0) return NOTHING_CARRIED;
  const { client, journal } = ctx.deps;
  const out: CarriedIn = {
    plan: new Map(),
    from: new Map(from),
    lists: new Map(),
    read: new Map(),
    copies: new Map(copies),
  };
  const byProject = new Map<string, Set<string>>();
  for (const { projectId, taskId } of from.values())
    byProject.set(projectId, (byProject.get(projectId) ?? new Set()).add(taskId));
  const bases = new Map<string, Map<string, TaskRecord>>();
  for (const projectId of byProject.keys())
    bases.set(projectId, new Map(journal.getBase(projectId).map((t) => [t.id, t] as const)));
  for (const [projectId, ids] of byProject) {
    let list = ctx.lists.get(projectId);
    if (list === undefined) {
      list = await readListOf(ctx, projectId, [...bases.get(projectId)!.values()], path);
      ctx.lists.set(projectId, list);
    }
    out.lists.set(projectId, list);
    const present = new Set(list.tasks.filter((t) => ids.has(t.id)).map((t) => t.id));
    const records = await readRemote(client, projectId, list.tasks, present, ctx.counter, ctx.request.signal);
    out.read.set(projectId, new Map(records.filter((r) => present.has(r.id)).map((r) => [r.id, r] as const)));
  }
  const pending = new Map<string, Field[]>();
  for (const projectId of byProject.keys()) {
    for (const c of journal.listConflicts(projectId))
      if (byProject.get(projectId)!.has(c.taskId)) pending.set(c.taskId, [...(pending.get(c.taskId) ?? []), c.field]);
  }
  for (const [key, { projectId, taskId }] of from) {
    const r = out.read.get(projectId)?.get(taskId);
    out.plan.set(key, {
      base: bases.get(projectId)?.get(taskId) ?? null,
      pending: pending.get(taskId) ?? [],
      remote:
        r === undefined
          ? null
          : {
              text: r.text,
              completed: r.completed,
              note: r.note ?? null,
              due: r.due ?? null,
              assignees: r.assignees ?? [],
            },
    });
  }
  return out;
}

/**
 * After a pass that created carried tasks (its file written and committed): the old copies go.
 * A task created here with every field, and each task of its old subtree created here too, is
 * deleted in its old project (one request for the subtree; its values were read in this pass) and
 * leaves that project's base. One whose old subtree holds tasks that stay there (items of that
 * file, or tasks Taskade added under it) is left to the old file's pass, which puts them in its
 * place and deletes it. A task created here with a field that did not reach Taskade stays in its
 * old project too: the next run finishes the move.
 *
 * Before that, the journal: each task created here is a move owed in the old project (`moves`:
 * its pass deletes it, this run's or a later one's, even after this file names the new task), and
 * the old project's pending conflicts on it are the new task's now.
 */
export async function finishCarried(
  ctx: FileRunContext,
  path: string,
  projectId: string,
  carried: CarriedIn,
  plan: Plan,
  applied: ApplyRemoteResult,
): Promise<void> {
  if (carried.from.size === 0) return;
  const { journal, client, logger } = ctx.deps;
  // A stopped run, or one Taskade ended (token refused, unreachable), records the moves but sends nothing more.
  const stopped = (): boolean => ctx.request.signal?.aborted === true || applied.fatal !== null;
  const failed = new Set([...applied.failed, ...applied.refused].map((f) => ('id' in f.op ? f.op.id : f.op.ref)));
  const fresh = new Set(plan.conflicts.map((c) => `${c.taskId}\u0000${c.field}`));
  /** source project → carried task → its id here, and whether every field reached Taskade. */
  const done = new Map<string, Map<string, { id: string; complete: boolean; ref: string }>>();
  for (const { key, id } of plan.carried) {
    const from = carried.from.get(key);
    const real = isNewId(id) ? applied.created.get(id) : id;
    if (from === undefined || real === undefined) continue;
    const tasks = done.get(from.projectId) ?? new Map<string, { id: string; complete: boolean; ref: string }>();
    tasks.set(from.taskId, { id: real, complete: !failed.has(id) && !failed.has(real), ref: id });
    done.set(from.projectId, tasks);
  }
  if (done.size === 0) return;
  const at = ctx.now();
  journal.transaction(() => {
    for (const [source, tasks] of done) {
      for (const c of journal.listConflicts(source)) {
        const to = tasks.get(c.taskId);
        if (to === undefined) continue;
        if (!fresh.has(`${to.ref}\u0000${c.field}`)) journal.putConflict({ ...c, projectId, taskId: to.id, at });
        journal.clearConflict(source, c.taskId, c.field);
      }
      for (const [taskId, to] of tasks)
        journal.putMove({ projectId: source, taskId, toProjectId: projectId, toTaskId: to.id, at });
    }
  });
  for (const [source, tasks] of done) {
    const list = carried.lists.get(source)!;
    const parentOf = new Map(list.tasks.map((t) => [t.id, t.parentId] as const));
    const childrenOf = new Map<string | null, string[]>();
    for (const t of list.tasks) childrenOf.set(t.parentId, [...(childrenOf.get(t.parentId) ?? []), t.id]);
    const complete = (id: string) => tasks.get(id)?.complete === true;
    const dropped = new Set<string>();
    for (const [taskId, to] of tasks) {
      if (!parentOf.has(taskId)) continue; // Taskade deleted it there: nothing to delete.
      const parent = parentOf.get(taskId) ?? null;
      if (parent !== null && tasks.has(parent)) continue; // goes with its parent
      const subtree = [taskId];
      for (let i = 0; i < subtree.length; i += 1) subtree.push(...(childrenOf.get(subtree[i]!) ?? []));
      // Otherwise left to the old file's pass (this run's, or the next run's).
      if (!subtree.every(complete)) continue;
      if (stopped()) return;
      try {
        await ctx.counter.write(() => client.deleteTask(source, taskId, { signal: ctx.request.signal }));
      } catch (error) {
        if (!isTaskadeError(error) && !stopped()) throw error;
        const message = `moved to ${path}: cannot delete it in project ${source} yet (${(error as Error).message}); the next run does`;
        logger.event({ level: 'warn', type: 'move-pending', file: path, taskId, message });
        continue;
      }
      ctx.lists.delete(source);
      ctx.moves.touch(source);
      logger.event({
        level: 'info',
        type: 'moved-in',
        file: path,
        taskId: to.id,
        message: `moved in from project ${source}: created here, deleted there (${subtree.length} task(s))`,
        data: { from: source, oldId: taskId },
      });
      // The rows of what the delete took (Taskade's subtree, not the base's: a task moved out of it
      // since is still there) — unless a row still hangs under one of them: the old file's pass
      // reads that task's move against them, and drops them itself (the move is owed until then).
      const gone = new Set(subtree);
      const base = journal.getBase(source);
      if (base.some((t) => !gone.has(t.id) && t.parentId !== null && gone.has(t.parentId))) continue;
      journal.transaction(() => {
        journal.replaceBase(
          source,
          base.filter((t) => !gone.has(t.id)),
          ctx.now(),
        );
        for (const id of subtree) journal.dropMove(source, id);
      });
      for (const id of subtree) dropped.add(id);
    }
    ctx.moves.carriedFrom(source, dropped, journal.listMoves(source).length > 0);
  }
}
