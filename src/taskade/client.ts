/**
 * The typed Taskade v1 client: one method per endpoint the sync needs (CONTRACT.md §2), every
 * call through the rate-aware `RequestQueue`, every open behaviour of the API tolerated in
 * `tolerate.ts`. Requests are checked locally against the spec's limits first, so a request the
 * server would refuse is never sent and never spends budget.
 */
import { isSafePathSegment } from '../model/ids.js';
import { LIMITS } from './limits.js';
import type { Dispatcher } from 'undici';
import { Agent } from './undici.js';
import { TaskadeError } from './errors.js';
import { readTaskPages } from './paged-list.js';
import { parseRateLimitHeaders } from './rate-limit-headers.js';
import { RequestQueue, type Priority } from './request-queue.js';
import {
  isAlreadyAbsent,
  isMissingSubresource,
  listItems,
  mayBeRedundantCompletion,
  normaliseTask,
  normaliseTaskList,
  requireTaskIds,
  showsRootlessList,
  singleItem,
  type NormalisedTask,
  type RequestContext,
  type RootNodeMode,
  type TaskList,
} from './tolerate.js';
import { exchange, type Exchange, type ExchangeResult, type TransportOptions } from './transport.js';
import {
  PLACEMENTS,
  type ApiDatePutRequest,
  type ApiFolder,
  type ApiProject,
  type ApiTask,
  type ApiTaskCreateInput,
  type ApiTaskDate,
  type ApiTaskNote,
  type ApiUser,
  type ApiWorkspace,
  type Placement,
} from './types.js';

export type { NormalisedTask, RootNodeMode, TaskList } from './tolerate.js';

export interface TaskadeClientOptions {
  /** e.g. `https://www.taskade.com/api/v1`, or the simulator's `baseUrl`. */
  baseUrl: string;
  token: string;
  /** Shared by every client using the same token. @default a new RequestQueue with its defaults */
  queue?: RequestQueue;
  /** Whole-exchange timeout per request (headers and body). @default 30000 */
  timeoutMs?: number;
  /** @default an undici Agent owned (and closed) by the client */
  dispatcher?: Dispatcher;
  /** @default 'taskade-sync' */
  userAgent?: string;
  /**
   * Whether the server lists the project's root node first (CONTRACT §3.6: reported by one
   * client only). 'auto' detects it per list and learns when the server shows rootless lists.
   * @default 'auto'
   */
  rootNode?: RootNodeMode;
}

export interface CallOptions {
  /** @default 'read' for reads, 'write' for writes */
  priority?: Priority;
  signal?: AbortSignal;
}

export interface ListTasksOptions extends CallOptions {
  /** @default 1000 (the spec's maximum) */
  pageSize?: number;
}

export interface ListTasksPageOptions extends CallOptions {
  limit?: number;
  after?: string;
  before?: string;
}

const ONE_LINE = /^[^\r\n]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(?:[0-1][0-9]|[2][0-3]):[0-5][0-9](?::[0-5][0-9])?$/;
export const MEMBERS_PAGE = 100;

export class TaskadeClient {
  readonly queue: RequestQueue;
  readonly #transport: TransportOptions;
  readonly #ownedAgent: Agent | null;
  /** Root node id per project, learnt from the last task list, so `getTask` can map it to null. */
  readonly #rootIds = new Map<string, string | null>();
  #rootNode: RootNodeMode;

  constructor(options: TaskadeClientOptions) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\/[^/]/.test(options.baseUrl)) {
      throw new TypeError(
        `Unexpected value \`${String(options.baseUrl)}\` for \`options.baseUrl\`, expected an http(s) URL`,
      );
    }
    if (typeof options.token !== 'string' || options.token.trim() === '') {
      // The value is not quoted: it is a secret.
      throw new TypeError('Unexpected empty `options.token`, expected a Taskade API token');
    }
    if (/[^\x21-\x7e]/.test(options.token)) {
      // A header cannot carry it: every request would fail as if Taskade were unreachable.
      throw new TypeError('Unexpected character in `options.token`, expected printable ASCII (a Taskade API token)');
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError(
        `Unexpected value \`${String(timeoutMs)}\` for \`options.timeoutMs\`, expected a positive number of milliseconds`,
      );
    }
    this.queue = options.queue ?? new RequestQueue();
    this.#rootNode = options.rootNode ?? 'auto';
    this.#ownedAgent = options.dispatcher ? null : new Agent({ keepAliveTimeout: 10_000 });
    const queue = this.queue;
    this.#transport = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      token: options.token,
      timeoutMs,
      dispatcher: options.dispatcher ?? (this.#ownedAgent as Agent),
      userAgent: options.userAgent ?? 'taskade-sync',
      now: () => queue.clock.now(),
      onHeaders: (headers) => {
        const hint = parseRateLimitHeaders(headers, queue.clock.now());
        if (hint.remaining === 0 && hint.resetInMs !== null) queue.pauseFor(hint.resetInMs);
      },
    };
  }

  /** Closes the connections the client opened itself (an injected dispatcher is left alone). */
  async close(): Promise<void> {
    await this.#ownedAgent?.close();
  }

  // ── Workspaces, folders, projects ────────────────────────────────────────────────────────────

  async listWorkspaces(o: CallOptions = {}): Promise<ApiWorkspace[]> {
    const ex = get('/workspaces', '/workspaces');
    return listItems<ApiWorkspace>(ex, (await this.#send(ex, o)).body);
  }

  async listFolders(workspaceId: string, o: CallOptions = {}): Promise<ApiFolder[]> {
    const ex = get('/workspaces/{workspaceId}/folders', `/workspaces/${seg(workspaceId)}/folders`);
    return listItems<ApiFolder>(ex, (await this.#send(ex, o)).body);
  }

  /** Also accepts a workspace id (its home folder). No pagination in the spec. */
  async listFolderProjects(folderId: string, o: CallOptions = {}): Promise<ApiProject[]> {
    const ex = get('/folders/{folderId}/projects', `/folders/${seg(folderId)}/projects`);
    return listItems<ApiProject>(ex, (await this.#send(ex, o)).body);
  }

  async listMyProjects(
    o: CallOptions & { limit?: number; page?: number; sort?: 'viewed-asc' | 'viewed-desc' } = {},
  ): Promise<ApiProject[]> {
    const ex = get('/me/projects', '/me/projects', { limit: o.limit, page: o.page, sort: o.sort });
    return listItems<ApiProject>(ex, (await this.#send(ex, o)).body);
  }

  async getProject(projectId: string, o: CallOptions = {}): Promise<ApiProject> {
    const ex = get('/projects/{projectId}', `/projects/${seg(projectId)}`);
    const item = singleItem<ApiProject>(ex, (await this.#send(ex, o)).body);
    if (!item)
      throw new TaskadeError({
        ...ex,
        code: 'SERVER',
        status: 200,
        detail: 'expected `item` to be the project, got null',
      });
    return item;
  }

  /** Never re-sent after a lost response (the caller's intent log decides). */
  async createProject(input: { folderId: string; content: string }, o: CallOptions = {}): Promise<ApiProject> {
    const ex: Exchange = {
      method: 'POST',
      route: '/projects',
      path: '/projects',
      body: { folderId: input.folderId, contentType: 'text/markdown', content: input.content },
      idempotent: false,
    };
    if (input.folderId === '') throw localRefusal(ex, 'expected `folderId` to be a non-empty folder or workspace id');
    const item = singleItem<ApiProject>(ex, (await this.#send(ex, o)).body);
    if (!item || typeof item.id !== 'string') {
      throw new TaskadeError({
        ...ex,
        code: 'SERVER',
        status: 200,
        maybeApplied: true,
        detail: 'the project was created but the response holds no project id',
      });
    }
    return item;
  }

  async listMembers(projectId: string, o: CallOptions = {}): Promise<ApiUser[]> {
    const members: ApiUser[] = [];
    for (let page = 1; ; page++) {
      const ex = get('/projects/{projectId}/members', `/projects/${seg(projectId)}/members`, {
        limit: MEMBERS_PAGE,
        page,
      });
      const body = (await this.#send(ex, o)).body;
      const raw = Array.isArray(body.items) ? body.items.length : 0;
      members.push(...listItems<ApiUser>(ex, body));
      if (raw < MEMBERS_PAGE) return members;
    }
  }

  // ── Tasks ────────────────────────────────────────────────────────────────────────────────────

  /** The whole outline, page by page (see `readTaskPages`: a list that changed while read is read again). */
  async listTasks(projectId: string, o: ListTasksOptions = {}): Promise<TaskList> {
    const pageSize = o.pageSize ?? LIMITS.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > LIMITS.pageSize) {
      throw new TypeError(
        `Unexpected value \`${String(pageSize)}\` for \`options.pageSize\`, expected a whole number from 1 to ${LIMITS.pageSize}`,
      );
    }
    const { all, pages } = await readTaskPages(
      (after) => this.#taskPage(projectId, { ...o, limit: pageSize, after }),
      pageSize,
    );
    // A rootless list teaches 'auto' how this server behaves, for ambiguous lists later.
    if (this.#rootNode === 'auto' && showsRootlessList(all)) this.#rootNode = false;
    const list = normaliseTaskList(all, pages, this.#rootNode);
    this.#rootIds.set(projectId, list.rootId);
    return list;
  }

  /** One raw page (null entries dropped, root node kept). Do not pass both `after` and `before`. */
  async listTasksPage(projectId: string, o: ListTasksPageOptions = {}): Promise<ApiTask[]> {
    return (await this.#taskPage(projectId, o)).tasks;
  }

  /** null when the task does not exist. */
  async getTask(projectId: string, taskId: string, o: CallOptions = {}): Promise<NormalisedTask | null> {
    const ex = get('/projects/{projectId}/tasks/{taskId}', `/projects/${seg(projectId)}/tasks/${seg(taskId)}`);
    try {
      const item = singleItem<ApiTask>(ex, (await this.#send(ex, o)).body);
      if (!item) return null;
      const [task] = requireTaskIds(ex, [item]);
      return normaliseTask(task as ApiTask, this.#rootIds.get(projectId) ?? null);
    } catch (error) {
      if (isMissingSubresource(error)) return null;
      throw error;
    }
  }

  /**
   * Creates 1..20 tasks in one request. Never re-sent after a lost response: that throws a
   * TaskadeError with `maybeApplied: true`. The result may hold only ids (partial responses).
   */
  async createTasks(projectId: string, inputs: ApiTaskCreateInput[], o: CallOptions = {}): Promise<ApiTask[]> {
    const ex: Exchange = {
      method: 'POST',
      route: '/projects/{projectId}/tasks/',
      path: `/projects/${seg(projectId)}/tasks/`,
      body: { tasks: inputs.map(createInputOnWire) },
      idempotent: false,
    };
    if (inputs.length < 1 || inputs.length > LIMITS.createBatch) {
      throw localRefusal(ex, `expected 1 to ${LIMITS.createBatch} tasks per request, got ${inputs.length}`);
    }
    inputs.forEach((input, i) => {
      if (input.content.length > LIMITS.contentLength) {
        throw localRefusal(
          ex,
          `expected \`tasks[${i}].content\` to be at most ${LIMITS.contentLength} characters, got ${input.content.length}`,
        );
      }
      if (!ONE_LINE.test(input.content)) {
        // The spec allows newlines here, but whether they split into several nodes is unknown.
        throw localRefusal(ex, `expected \`tasks[${i}].content\` to be one line`);
      }
      const anchored = typeof input.taskId === 'string';
      if (
        anchored
          ? !PLACEMENTS.includes(input.placement)
          : input.placement !== 'afterbegin' && input.placement !== 'beforeend'
      ) {
        throw localRefusal(
          ex,
          `unexpected \`tasks[${i}].placement\` \`${input.placement}\`${anchored ? '' : ' without a `taskId`, expected afterbegin or beforeend'}`,
        );
      }
    });
    return requireTaskIds(ex, listItems(ex, (await this.#send(ex, o, 'write')).body, 'item'));
  }

  /** One line of markdown, at most 2000 characters (refused locally otherwise, without sending). */
  async updateTaskText(projectId: string, taskId: string, text: string, o: CallOptions = {}): Promise<void> {
    const ex = write(
      'PUT',
      '/projects/{projectId}/tasks/{taskId}',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}`,
      {
        contentType: 'text/markdown',
        content: text,
      },
    );
    if (text.length > LIMITS.contentLength)
      throw localRefusal(ex, `expected the text to be at most ${LIMITS.contentLength} characters, got ${text.length}`);
    if (!ONE_LINE.test(text)) throw localRefusal(ex, 'expected the text to be one line');
    await this.#send(ex, o, 'write');
  }

  /** Resolves when the task is gone, including when it already was (404). */
  async deleteTask(projectId: string, taskId: string, o: CallOptions = {}): Promise<void> {
    const ex = write(
      'DELETE',
      '/projects/{projectId}/tasks/{taskId}',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}`,
    );
    await this.#sendTolerating(ex, o, isAlreadyAbsent);
  }

  /**
   * Completes or reopens a task. A 400 may mean it already was in that state: one GET confirms
   * it, and then the call succeeds (the server does not treat these as idempotent; we do).
   */
  async setCompleted(projectId: string, taskId: string, completed: boolean, o: CallOptions = {}): Promise<void> {
    const verb = completed ? 'complete' : 'uncomplete';
    const ex: Exchange = {
      method: 'POST',
      route: `/projects/{projectId}/tasks/{taskId}/${verb}`,
      path: `/projects/${seg(projectId)}/tasks/${seg(taskId)}/${verb}`,
      // Re-sending is safe: the worst case is the redundant-state 400 handled below.
      idempotent: true,
    };
    try {
      await this.#send(ex, o, 'write');
    } catch (error) {
      if (!mayBeRedundantCompletion(error)) throw error;
      const task = await this.getTask(projectId, taskId, { ...o, priority: o.priority ?? 'write' });
      if (task?.completed !== completed) throw error;
    }
  }

  async moveTask(
    projectId: string,
    taskId: string,
    target: { taskId: string; position: Placement },
    o: CallOptions = {},
  ): Promise<void> {
    const ex = write(
      'PUT',
      '/projects/{projectId}/tasks/{taskId}/move',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/move`,
      {
        target: { taskId: target.taskId, position: target.position },
      },
    );
    if (target.taskId === '') throw localRefusal(ex, 'expected `target.taskId` to be a task id');
    if (target.taskId === taskId) throw localRefusal(ex, `cannot move task \`${taskId}\` relative to itself`);
    if (!PLACEMENTS.includes(target.position)) {
      throw localRefusal(
        ex,
        `unexpected \`target.position\` \`${String(target.position)}\`, expected one of ${PLACEMENTS.join(', ')}`,
      );
    }
    await this.#send(ex, o, 'write');
  }

  // ── Notes, dates, assignees ──────────────────────────────────────────────────────────────────

  /** null when the task has no note (404 or `item: null`). */
  async getNote(projectId: string, taskId: string, o: CallOptions = {}): Promise<string | null> {
    const ex = get(
      '/projects/{projectId}/tasks/{taskId}/note',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/note`,
    );
    const item = await this.#readOptional<ApiTaskNote>(ex, o);
    return item === null ? null : item.value;
  }

  /** One line, at least one character (the API's limits; encoding multi-line notes is the caller's job). */
  async putNote(projectId: string, taskId: string, value: string, o: CallOptions = {}): Promise<void> {
    const ex = write(
      'PUT',
      '/projects/{projectId}/tasks/{taskId}/note',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/note`,
      {
        type: 'text/markdown',
        value,
      },
    );
    if (value.length === 0) throw localRefusal(ex, 'expected the note to be non-empty (use deleteNote to remove it)');
    if (!ONE_LINE.test(value)) throw localRefusal(ex, 'expected the note to be one line');
    await this.#send(ex, o, 'write');
  }

  async deleteNote(projectId: string, taskId: string, o: CallOptions = {}): Promise<void> {
    const ex = write(
      'DELETE',
      '/projects/{projectId}/tasks/{taskId}/note',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/note`,
    );
    await this.#sendTolerating(ex, o, isAlreadyAbsent);
  }

  /** null when the task has no date (404 or `item: null`). */
  async getDate(projectId: string, taskId: string, o: CallOptions = {}): Promise<ApiTaskDate | null> {
    const ex = get(
      '/projects/{projectId}/tasks/{taskId}/date',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/date`,
    );
    return this.#readOptional<ApiTaskDate>(ex, o);
  }

  async putDate(projectId: string, taskId: string, d: ApiDatePutRequest, o: CallOptions = {}): Promise<void> {
    const body: ApiDatePutRequest = d.end === undefined ? { start: d.start } : { start: d.start, end: d.end };
    const ex = write(
      'PUT',
      '/projects/{projectId}/tasks/{taskId}/date',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/date`,
      body,
    );
    for (const [key, value] of Object.entries(body) as Array<[string, ApiDatePutRequest['start']]>) {
      if (!DATE.test(value.date))
        throw localRefusal(ex, `expected \`${key}.date\` as YYYY-MM-DD, got \`${value.date}\``);
      if (value.time !== undefined && value.time !== null && !TIME.test(value.time)) {
        throw localRefusal(ex, `expected \`${key}.time\` as HH:MM or HH:MM:SS, got \`${value.time}\``);
      }
    }
    await this.#send(ex, o, 'write');
  }

  /** Resolves when the task has no date, including when it had none ("Date does not exist"). */
  async deleteDate(projectId: string, taskId: string, o: CallOptions = {}): Promise<void> {
    const ex = write(
      'DELETE',
      '/projects/{projectId}/tasks/{taskId}/date',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/date`,
    );
    await this.#sendTolerating(ex, o, isAlreadyAbsent);
  }

  /** The assigned handles, in the server's order. */
  async getAssignees(projectId: string, taskId: string, o: CallOptions = {}): Promise<string[]> {
    const ex = get(
      '/projects/{projectId}/tasks/{taskId}/assignees',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/assignees`,
    );
    return listItems<ApiUser>(ex, (await this.#send(ex, o)).body).map((user) => user.handle);
  }

  async putAssignees(projectId: string, taskId: string, handles: string[], o: CallOptions = {}): Promise<void> {
    const ex = write(
      'PUT',
      '/projects/{projectId}/tasks/{taskId}/assignees',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/assignees`,
      {
        handles: [...handles],
      },
    );
    handles.forEach((handle, i) => {
      if (handle === '') throw localRefusal(ex, `expected \`handles[${i}]\` to be a non-empty handle`);
    });
    await this.#send(ex, o, 'write');
  }

  /** Resolves when the handle is not assigned, including when it was not to begin with. */
  async deleteAssignee(projectId: string, taskId: string, handle: string, o: CallOptions = {}): Promise<void> {
    const ex = write(
      'DELETE',
      '/projects/{projectId}/tasks/{taskId}/assignees/{assigneeHandle}',
      `/projects/${seg(projectId)}/tasks/${seg(taskId)}/assignees/${seg(handle)}`,
    );
    if (handle === '') throw localRefusal(ex, 'expected a non-empty handle');
    await this.#sendTolerating(ex, o, isAlreadyAbsent);
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────────────────────────

  #send(ex: Exchange, o: CallOptions, defaultPriority: Priority = 'read'): Promise<ExchangeResult> {
    // `..` stays `..` when encoded, and a URL resolver makes `/projects/../tasks` another route; a
    // server may decode %2F. The CLI and the parser refuse such ids with their file and line
    // first; this is the last guard, for every id, also the ones Taskade handed out.
    for (const part of ex.path.split('/')) {
      if (part !== '' && !isSafePathSegment(decodeURIComponent(part)))
        return Promise.reject(
          localRefusal(
            ex,
            `expected an opaque Taskade id in the path, got ${JSON.stringify(decodeURIComponent(part))}`,
          ),
        );
    }
    return this.queue.run({
      priority: o.priority ?? defaultPriority,
      idempotent: ex.idempotent,
      signal: o.signal,
      attempt: () => exchange(this.#transport, ex, o.signal),
    });
  }

  async #sendTolerating(ex: Exchange, o: CallOptions, tolerated: (error: unknown) => boolean): Promise<void> {
    try {
      await this.#send(ex, o, 'write');
    } catch (error) {
      if (!tolerated(error)) throw error;
    }
  }

  async #readOptional<T>(ex: Exchange, o: CallOptions): Promise<T | null> {
    try {
      return singleItem<T>(ex, (await this.#send(ex, o)).body);
    } catch (error) {
      if (isMissingSubresource(error)) return null;
      throw error;
    }
  }

  async #taskPage(
    projectId: string,
    o: ListTasksPageOptions,
  ): Promise<{ tasks: ApiTask[]; rawLength: number; ctx: RequestContext }> {
    if (o.after !== undefined && o.before !== undefined) {
      throw new TypeError(
        'Unexpected `options.after` together with `options.before`, expected at most one cursor (the spec forbids both)',
      );
    }
    if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > LIMITS.pageSize)) {
      throw new TypeError(
        `Unexpected value \`${String(o.limit)}\` for \`options.limit\`, expected a whole number from 1 to ${LIMITS.pageSize}`,
      );
    }
    const ex = get('/projects/{projectId}/tasks', `/projects/${seg(projectId)}/tasks`, {
      limit: o.limit,
      after: o.after,
      before: o.before,
    });
    const body = (await this.#send(ex, o)).body;
    const rawLength = Array.isArray(body.items) ? body.items.length : 0;
    return { tasks: requireTaskIds(ex, listItems(ex, body)), rawLength, ctx: ex };
  }
}

function get(route: string, path: string, query?: Exchange['query']): Exchange {
  return { method: 'GET', route, path, query, idempotent: true };
}

function write(method: 'PUT' | 'DELETE', route: string, path: string, body?: unknown): Exchange {
  return { method, route, path, body, idempotent: true };
}

/** A path segment: ids are opaque strings (CONTRACT §1), so always encoded (and checked in #send). */
function seg(value: string): string {
  return encodeURIComponent(value);
}

/** The wire form of a create input: `taskId` only when anchored (omitted, not null, otherwise). */
function createInputOnWire(input: ApiTaskCreateInput): ApiTaskCreateInput {
  const { contentType, content, placement } = input;
  if (typeof input.taskId === 'string') return { contentType, content, placement, taskId: input.taskId };
  return { contentType, content, placement } as ApiTaskCreateInput;
}

function localRefusal(ex: RequestContext, detail: string): TaskadeError {
  return new TaskadeError({
    method: ex.method,
    route: ex.route,
    code: 'VALIDATION',
    detail: `refused before sending: ${detail}`,
  });
}
