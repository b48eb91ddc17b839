import { TaskadeError } from './errors.js';
import type { RequestContext } from './tolerate.js';
import type { ApiTask } from './types.js';

/** One page of a task list as read: its tasks (the root node kept), how many items it held, the request. */
export interface TaskPage {
  tasks: ApiTask[];
  rawLength: number;
  ctx: RequestContext;
}

/**
 * The whole outline, page by page with `after` cursors; stops at the first short page. Pages
 * are read one after another, not as one snapshot: a task moved meanwhile can show up twice
 * (a whole page of them, even), or its children without it. Such a read is read once more from
 * the start; a second one that does not hold together either is a SERVER error, so the file
 * fails this run, with no write.
 *
 * Shared by the client and the engine tests' in-memory backend, so both answer a list that
 * changed while it was read the same way.
 */
export async function readTaskPages(
  readPage: (after: string | undefined) => Promise<TaskPage>,
  pageSize: number,
): Promise<{ all: ApiTask[]; pages: number }> {
  for (let read = 1; ; read++) {
    const { all, pages, problem, ctx } = await readOnce(readPage, pageSize);
    if (problem === null) return { all, pages };
    if (read === 2) {
      throw new TaskadeError({
        ...ctx,
        code: 'SERVER',
        status: 200,
        detail: `the task list changed while it was read page by page, twice (${problem}); read again next run`,
      });
    }
  }
}

async function readOnce(
  readPage: (after: string | undefined) => Promise<TaskPage>,
  pageSize: number,
): Promise<{ all: ApiTask[]; pages: number; problem: string | null; ctx: RequestContext }> {
  const all: ApiTask[] = [];
  const seen = new Set<string>();
  let problem: string | null = null;
  let after: string | undefined;
  for (let pages = 1; ; pages++) {
    const { tasks, rawLength, ctx } = await readPage(after);
    const fresh = tasks.filter((t) => !seen.has(t.id));
    if (pages > 1 && fresh.length < tasks.length)
      problem ??= `task ${tasks.find((t) => seen.has(t.id))!.id} on two pages`;
    for (const t of fresh) seen.add(t.id);
    all.push(...fresh);
    if (rawLength < pageSize) {
      if (pages > 1 && problem === null) {
        const orphan = all.find((t, i) => i > 0 && typeof t.parentId === 'string' && !seen.has(t.parentId));
        if (orphan !== undefined) problem = `task ${orphan.id} listed without its parent ${String(orphan.parentId)}`;
      }
      return { all, pages, problem, ctx };
    }
    // A full page of tasks already listed: moved after the cursor meanwhile (by another user), or
    // a server that ignores the cursor. Paging on could loop; this read stops, and is read again.
    if (fresh.length === 0) {
      return { all, pages, problem: problem ?? `the page after ${String(after)} repeated tasks already listed`, ctx };
    }
    after = tasks.at(-1)?.id;
  }
}
