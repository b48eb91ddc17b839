/**
 * Every behaviour the spec leaves open, tolerated here and nowhere else (DESIGN §1):
 *
 * - `{ok:false}` inside a 200 is an error, like a 4xx;
 * - `null` entries in lists are dropped (the list schemas mark items nullable);
 * - write responses holding only `{id}` (or `item: null`) are accepted — callers never depend on
 *   a write's echo;
 * - the task list may open with the project's root node (no parentId, first item of the first
 *   page); it is removed and its id read as "top level";
 * - complete on a completed task / uncomplete on an open one may answer 400; the client confirms
 *   the state with one GET and then treats it as done;
 * - a missing note or date may be a 404 or `item: null`: both mean "none";
 * - deleting what is already gone (task 404, date/note/assignee 400 "does not exist") succeeds.
 */
import type { ApiTask } from './types.js';
import { codeForServerCode, TaskadeError } from './errors.js';

export interface RequestContext {
  method: string;
  route: string;
}

/** The body of a 2xx, or a TaskadeError for `{ok:false}` and for bodies that are not objects. */
export function successBody(ctx: RequestContext, status: number, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TaskadeError({
      ...ctx,
      code: 'SERVER',
      status,
      maybeApplied: true,
      detail: 'expected a JSON object in the response body',
    });
  }
  const record = body as Record<string, unknown>;
  if (record.ok === false) {
    const serverCode = typeof record.code === 'string' ? record.code : null;
    throw new TaskadeError({
      ...ctx,
      code: codeForServerCode(serverCode),
      status,
      serverCode,
      serverMessage: typeof record.message === 'string' ? record.message : null,
      detail: 'the server answered ok:false in a 2xx',
    });
  }
  return record;
}

/** `items` as a list without its null entries. */
export function listItems<T>(ctx: RequestContext, body: Record<string, unknown>, key: 'items' | 'item' = 'items'): T[] {
  const items = body[key];
  if (!Array.isArray(items)) {
    throw new TaskadeError({
      ...ctx,
      code: 'SERVER',
      status: 200,
      detail: `expected \`${key}\` to be an array, got ${describeValue(items)}`,
    });
  }
  return items.filter((item): item is T => item !== null && item !== undefined);
}

/** `item` as an object, or null when the server sent `item: null` (or nothing). */
export function singleItem<T>(ctx: RequestContext, body: Record<string, unknown>): T | null {
  const item = body.item;
  if (item === null || item === undefined) return null;
  if (typeof item !== 'object' || Array.isArray(item)) {
    throw new TaskadeError({
      ...ctx,
      code: 'SERVER',
      status: 200,
      detail: `expected \`item\` to be an object, got ${describeValue(item)}`,
    });
  }
  return item as T;
}

/** Tasks must at least carry a string id; anything else in a list is the server breaking the spec. */
export function requireTaskIds(ctx: RequestContext, tasks: unknown[]): ApiTask[] {
  return tasks.map((task, i) => {
    if (typeof task !== 'object' || task === null || typeof (task as ApiTask).id !== 'string') {
      throw new TaskadeError({
        ...ctx,
        code: 'SERVER',
        status: 200,
        detail: `expected item ${i} to be a task with a string \`id\`, got ${describeValue(task)}`,
      });
    }
    return task as ApiTask;
  });
}

export interface NormalisedTask {
  id: string;
  text: string;
  /** null = top level (the root node, when the server sends one, is removed). */
  parentId: string | null;
  completed: boolean;
}

export interface TaskList {
  /** The root node's id when the server sent one. */
  rootId: string | null;
  /** Outline order. */
  tasks: NormalisedTask[];
  /** List requests it took. */
  pages: number;
}

/** Whether the server sends the project's root node first: pinned by configuration, or 'auto'. */
export type RootNodeMode = boolean | 'auto';

/**
 * The root node is the first item of the first page, without a parentId, when it is the only
 * item without one (top-level tasks then point at it). A server that does not send roots shows
 * its top-level tasks without parentId instead — so two parentless items prove there is no root.
 * One parentless item first is ambiguous (a root, or a project with a single top-level task);
 * 'auto' reads it as a root unless this server has been seen sending rootless lists
 * (`rootless` evidence, kept by the client), and reports the choice in `rootId` so the engine
 * can spot a "root" that its journal knows as a task.
 */
export function normaliseTaskList(all: ApiTask[], pages: number, mode: RootNodeMode): TaskList {
  const first = all[0];
  const candidate = first !== undefined && first.parentId === undefined ? first.id : null;
  const rootless = showsRootlessList(all);
  const rootId = candidate !== null && mode !== false && !rootless ? candidate : null;
  const tasks: NormalisedTask[] = [];
  for (const task of all) {
    if (task.id === rootId) continue;
    tasks.push(normaliseTask(task, rootId));
  }
  return { rootId, tasks, pages };
}

/** Two items without a parentId: proof that this server lists top-level tasks without a root. */
export function showsRootlessList(all: ApiTask[]): boolean {
  let parentless = 0;
  for (const task of all) if (task.parentId === undefined && ++parentless >= 2) return true;
  return false;
}

export function normaliseTask(task: ApiTask, rootId: string | null): NormalisedTask {
  const parentId =
    task.parentId === undefined || task.parentId === null || task.parentId === rootId ? null : task.parentId;
  return { id: task.id, text: task.text ?? '', parentId, completed: task.completed ?? false };
}

/** A 400 on complete/uncomplete may mean "already in that state"; the caller confirms with a GET. */
export function mayBeRedundantCompletion(error: unknown): error is TaskadeError {
  return error instanceof TaskadeError && error.code === 'VALIDATION' && error.status === 400;
}

/** GET of a note or date that is not set. */
export function isMissingSubresource(error: unknown): boolean {
  return error instanceof TaskadeError && error.code === 'NOT_FOUND';
}

const ALREADY_ABSENT_MESSAGE = /does not exist|not found|not assigned/i;

/**
 * DELETE of something already gone: a 404, or a 400 whose message says it does not exist (the
 * only wording seen: "Date does not exist"). Other 400s stay errors. A 404 for a missing project
 * reads the same as one for a missing task; the next task list surfaces a missing project.
 */
export function isAlreadyAbsent(error: unknown): boolean {
  if (!(error instanceof TaskadeError)) return false;
  if (error.code === 'NOT_FOUND') return true;
  return error.code === 'VALIDATION' && error.status === 400 && ALREADY_ABSENT_MESSAGE.test(error.serverMessage ?? '');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
