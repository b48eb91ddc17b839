import type { TaskList } from '../taskade/index.js';
import type { FileRunContext } from './file-run.js';

/**
 * How many tasks of the base a list read in several pages misses. Such a read is not one
 * snapshot: a subtree moved meanwhile from a page not yet read to one already read is in
 * neither, and reads as deleted on Taskade. A read that misses base tasks is read once more
 * before anything is decided on it; a second read that misses them too means they are gone.
 */
export function missedByPagedRead(list: TaskList, base: readonly { id: string }[] | null): number {
  if (list.pages < 2 || base === null) return 0;
  const listed = new Set(list.tasks.map((t) => t.id));
  return base.filter((b) => !listed.has(b.id)).length;
}

/**
 * A project's task list read for another file's pass (the old project of tasks moved in): read
 * again once when a read in several pages misses tasks of the project's base (`missedByPagedRead`),
 * as a file's own pass does. Read once, such a list lost Taskade's edits of a moved task — it was
 * read as deleted there, and created in its new project with the file's values only.
 */
export async function readListOf(
  ctx: FileRunContext,
  projectId: string,
  base: readonly { id: string }[] | null,
  path: string,
): Promise<TaskList> {
  const { client, logger } = ctx.deps;
  let list = await client.listTasks(projectId, { signal: ctx.request.signal });
  ctx.counter.reads += list.pages;
  const missing = missedByPagedRead(list, base);
  if (missing > 0) {
    logger.event({
      level: 'info',
      type: 'relist',
      file: path,
      message: `${missing} task(s) missing from project ${projectId}'s list read in ${list.pages} pages; reading it again`,
    });
    list = await client.listTasks(projectId, { signal: ctx.request.signal });
    ctx.counter.reads += list.pages;
  }
  return list;
}
