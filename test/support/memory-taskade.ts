/**
 * A strict in-memory Taskade backend for engine tests: the calls the engine makes on
 * `TaskadeClient`, with the same signatures, answering what the client answers against the
 * contract-checked simulator (test/contract/taskade-backend.contract.ts runs one suite against both).
 *
 * Like vdirsyncer's memory storage it is strict rather than lenient: every limit the client
 * refuses locally is refused here with the same "refused before sending" VALIDATION error, and
 * every rule the server enforces comes from the simulator's own modules — the tree and its DOM
 * placement, move and subtree delete from `simulator/store.ts`, the request-body rules from
 * `simulator/validate.ts` — turned into the TaskadeError the client would raise for that answer.
 * What the client tolerates (deleting what is gone, a redundant complete, a missing note or
 * date) is tolerated here the same way.
 */
import type { TaskadePort } from '../../src/engine/ports.js';
import { LIMITS } from '../../src/taskade/limits.js';
import { readTaskPages } from '../../src/taskade/paged-list.js';
import { ApiFailure, STATUS_CODES } from '../../src/simulator/api-error.js';
import { DEFAULT_BEHAVIOURS, presentTask } from '../../src/simulator/present.js';
import { Store, type ProjectState, type SeedTask, type TaskNode } from '../../src/simulator/store.js';
import {
  parseAssignees,
  parseCreateTasks,
  parseDate,
  parseMove,
  parseNote,
  parseTaskUpdate,
} from '../../src/simulator/validate.js';
import type { CallOptions, ListTasksOptions } from '../../src/taskade/client.js';
import { codeForStatus, TaskadeError } from '../../src/taskade/errors.js';
import {
  isAlreadyAbsent,
  isMissingSubresource,
  mayBeRedundantCompletion,
  normaliseTask,
  type TaskList,
} from '../../src/taskade/tolerate.js';
import {
  PLACEMENTS,
  type ApiDatePutRequest,
  type ApiTask,
  type ApiTaskCreateInput,
  type ApiTaskDate,
  type ApiUser,
  type Placement,
} from '../../src/taskade/types.js';

const ONE_LINE = /^[^\r\n]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(?:[0-1][0-9]|[2][0-3]):[0-5][0-9](?::[0-5][0-9])?$/;
const TASK = '/projects/{projectId}/tasks/{taskId}';

export class MemoryTaskade implements TaskadePort {
  /** The world, open for seeding and inspection (the same model the simulator serves). */
  readonly store = new Store();
  readonly #workspaceId: string;
  /** Every call, in order (method and route template): the exact cost of what the engine did. */
  readonly calls: Array<{ method: string; route: string }> = [];
  /**
   * Runs before each call is answered; a test throws from it to inject a failure (e.g. a
   * `TaskadeError` of Taskade failing) or changes the store (another user's edit in between).
   */
  beforeCall: ((call: { method: string; route: string }) => void) | undefined;
  /**
   * Runs after each page of a task list is read (the list counts as one call): a test changes
   * the store from it to act between two page reads, as `onExchange` does on the simulator.
   */
  afterPage: ((projectId: string) => void) | undefined;

  constructor(options: { members?: ApiUser[] } = {}) {
    this.#workspaceId = this.store.addWorkspace({ name: 'Memory', members: options.members }).id;
  }

  /** The simulator's `seedProject`: seeded text and notes may span lines, as in Taskade's editor. */
  seedProject(input: { name: string; tasks?: SeedTask[] }): { projectId: string; taskIds: string[] } {
    const { project, taskIds } = this.store.createProject({ folderId: this.#workspaceId, ...input });
    return { projectId: project.id, taskIds };
  }

  async listTasks(projectId: string, o: ListTasksOptions = {}): Promise<TaskList> {
    const pageSize = o.pageSize ?? LIMITS.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > LIMITS.pageSize) {
      throw new TypeError(
        `Unexpected value \`${String(pageSize)}\` for \`options.pageSize\`, expected a whole number from 1 to ${LIMITS.pageSize}`,
      );
    }
    const route = '/projects/{projectId}/tasks';
    return this.#call(o, 'GET', route, async () => {
      const p = this.store.project(projectId);
      // Paged like the client pages the server (root node included), so `pages` counts the same,
      // and read again like the client when another user's move in between makes it incoherent.
      const { all, pages } = await readTaskPages((after) => {
        const page = this.store.page(p, { limit: pageSize, after }, () => true);
        const read = { tasks: page.map((n) => wire(p, n)), rawLength: page.length, ctx: { method: 'GET', route } };
        this.afterPage?.(projectId);
        return Promise.resolve(read);
      }, pageSize);
      const tasks = all.filter((t) => t.id !== p.rootId).map((t) => normaliseTask(t, p.rootId));
      return { rootId: p.rootId, tasks, pages };
    });
  }

  async createTasks(projectId: string, inputs: ApiTaskCreateInput[], o: CallOptions = {}): Promise<ApiTask[]> {
    const route = '/projects/{projectId}/tasks/';
    if (inputs.length < 1 || inputs.length > LIMITS.createBatch) {
      throw refused('POST', route, `expected 1 to ${LIMITS.createBatch} tasks per request, got ${inputs.length}`);
    }
    inputs.forEach((input, i) => {
      checkText('POST', route, input.content, `\`tasks[${i}].content\``);
      const anchored = typeof input.taskId === 'string';
      if (anchored ? !PLACEMENTS.includes(input.placement) : !isChildPlacement(input.placement)) {
        throw refused('POST', route, `unexpected \`tasks[${i}].placement\` \`${input.placement}\``);
      }
    });
    return this.#call(o, 'POST', route, () => {
      const parsed = parseCreateTasks({ tasks: inputs.map(onWire) });
      const p = this.store.project(projectId);
      // Every element is checked before any is inserted, so a refused batch changes nothing.
      const anchors = parsed.map((input, i) => {
        if (input.taskId === null) {
          if (!isChildPlacement(input.placement)) throw new ApiFailure(400, `\`tasks[${i}].placement\` needs a taskId`);
          return p.rootId;
        }
        const anchor = anchorNode(p, input.taskId, `tasks[${i}].taskId`);
        this.store.checkPlacement(p, anchor, input.placement);
        return anchor.id;
      });
      return parsed.map((input, i) =>
        wire(p, this.store.insert(p, anchors[i] as string, input.placement, input.content)),
      );
    });
  }

  async updateTaskText(projectId: string, taskId: string, text: string, o: CallOptions = {}): Promise<void> {
    checkText('PUT', TASK, text, 'the text');
    await this.#call(o, 'PUT', TASK, () => {
      const { content } = parseTaskUpdate({ contentType: 'text/markdown', content: text });
      this.#writable(projectId, taskId, 'edited').text = content;
    });
  }

  /** Resolves when the task is gone, including when it already was (the client tolerates the 404). */
  async deleteTask(projectId: string, taskId: string, o: CallOptions = {}): Promise<void> {
    await this.#tolerating(o, 'DELETE', TASK, isAlreadyAbsent, () => {
      const p = this.store.project(projectId);
      this.store.deleteSubtree(p, this.#writable(projectId, taskId, 'deleted').id);
    });
  }

  /**
   * The server refuses a redundant complete/uncomplete with a 400; the client then reads the
   * task and succeeds when it is in the asked state (which holds even for the root's uncomplete).
   */
  async setCompleted(projectId: string, taskId: string, completed: boolean, o: CallOptions = {}): Promise<void> {
    const verb = completed ? 'complete' : 'uncomplete';
    const route = `${TASK}/${verb}`;
    try {
      await this.#call(o, 'POST', route, () => {
        const node = this.#writable(projectId, taskId, completed ? 'completed' : 'uncompleted');
        if (node.completed === completed) {
          throw new ApiFailure(400, `Task ${node.id} is already ${completed ? 'completed' : 'not completed'}`);
        }
        node.completed = completed;
      });
    } catch (error) {
      if (!mayBeRedundantCompletion(error)) throw error;
      const node = this.store.projects.get(projectId)?.nodes.get(taskId);
      if (node?.completed !== completed) throw error;
    }
  }

  async moveTask(
    projectId: string,
    taskId: string,
    target: { taskId: string; position: Placement },
    o: CallOptions = {},
  ): Promise<void> {
    const route = `${TASK}/move`;
    if (target.taskId === '') throw refused('PUT', route, 'expected `target.taskId` to be a task id');
    if (target.taskId === taskId) throw refused('PUT', route, `cannot move task \`${taskId}\` relative to itself`);
    if (!PLACEMENTS.includes(target.position)) {
      throw refused('PUT', route, `unexpected \`target.position\` \`${String(target.position)}\``);
    }
    await this.#call(o, 'PUT', route, () => {
      const move = parseMove({ target: { taskId: target.taskId, position: target.position } });
      const p = this.store.project(projectId);
      const node = this.#writable(projectId, taskId, 'moved');
      anchorNode(p, move.taskId, 'target.taskId');
      this.store.move(p, node.id, move.taskId, move.position);
    });
  }

  /** null when the task has no note — and, as through the client, when the task does not exist. */
  async getNote(projectId: string, taskId: string, o: CallOptions = {}): Promise<string | null> {
    return this.#readOptional(o, `${TASK}/note`, () => {
      const note = this.#node(projectId, taskId).note;
      if (note === null) throw new ApiFailure(404, `Task ${taskId} has no note`);
      return note.value;
    });
  }

  async putNote(projectId: string, taskId: string, value: string, o: CallOptions = {}): Promise<void> {
    const route = `${TASK}/note`;
    if (value.length === 0)
      throw refused('PUT', route, 'expected the note to be non-empty (use deleteNote to remove it)');
    if (!ONE_LINE.test(value)) throw refused('PUT', route, 'expected the note to be one line');
    await this.#call(o, 'PUT', route, () => {
      const note = parseNote({ type: 'text/markdown', value });
      this.#writable(projectId, taskId, 'given a note').note = note;
    });
  }

  async deleteNote(projectId: string, taskId: string, o: CallOptions = {}): Promise<void> {
    await this.#tolerating(o, 'DELETE', `${TASK}/note`, isAlreadyAbsent, () => {
      this.#writable(projectId, taskId, 'given a note').note = null;
    });
  }

  /** null when the task has no date — and when the task does not exist. */
  async getDate(projectId: string, taskId: string, o: CallOptions = {}): Promise<ApiTaskDate | null> {
    return this.#readOptional(o, `${TASK}/date`, () => {
      const date = this.#node(projectId, taskId).date;
      if (date === null) throw new ApiFailure(404, `Task ${taskId} has no date`);
      return structuredClone(date);
    });
  }

  async putDate(projectId: string, taskId: string, d: ApiDatePutRequest, o: CallOptions = {}): Promise<void> {
    const route = `${TASK}/date`;
    const body: ApiDatePutRequest = d.end === undefined ? { start: d.start } : { start: d.start, end: d.end };
    for (const [key, value] of Object.entries(body) as Array<[string, ApiDatePutRequest['start']]>) {
      if (!DATE.test(value.date)) throw refused('PUT', route, `expected \`${key}.date\` as YYYY-MM-DD`);
      if (value.time !== undefined && value.time !== null && !TIME.test(value.time)) {
        throw refused('PUT', route, `expected \`${key}.time\` as HH:MM or HH:MM:SS`);
      }
    }
    await this.#call(o, 'PUT', route, () => {
      const date = parseDate(structuredClone(body));
      this.#writable(projectId, taskId, 'given a date').date = date;
    });
  }

  /** Resolves when the task has no date, including when it had none ("Date does not exist"). */
  async deleteDate(projectId: string, taskId: string, o: CallOptions = {}): Promise<void> {
    await this.#tolerating(o, 'DELETE', `${TASK}/date`, isAlreadyAbsent, () => {
      const node = this.#writable(projectId, taskId, 'given a date');
      if (node.date === null) throw new ApiFailure(400, 'Date does not exist');
      node.date = null;
    });
  }

  async getAssignees(projectId: string, taskId: string, o: CallOptions = {}): Promise<string[]> {
    return this.#call(o, 'GET', `${TASK}/assignees`, () => [...this.#node(projectId, taskId).assignees]);
  }

  async putAssignees(projectId: string, taskId: string, handles: string[], o: CallOptions = {}): Promise<void> {
    const route = `${TASK}/assignees`;
    handles.forEach((handle, i) => {
      if (handle === '') throw refused('PUT', route, `expected \`handles[${i}]\` to be a non-empty handle`);
    });
    await this.#call(o, 'PUT', route, () => {
      const parsed = parseAssignees({ handles: [...handles] });
      // PUT replaces the whole set; duplicates collapse, first occurrence kept (the simulator's rule).
      this.#writable(projectId, taskId, 'assigned').assignees = [...new Set(parsed)];
    });
  }

  /** Resolves when the handle is not assigned, including when it was not to begin with. */
  async deleteAssignee(projectId: string, taskId: string, handle: string, o: CallOptions = {}): Promise<void> {
    const route = `${TASK}/assignees/{assigneeHandle}`;
    if (handle === '') throw refused('DELETE', route, 'expected a non-empty handle');
    await this.#tolerating(o, 'DELETE', route, isAlreadyAbsent, () => {
      const node = this.#writable(projectId, taskId, 'assigned');
      if (!node.assignees.includes(handle))
        throw new ApiFailure(400, `User ${handle} is not assigned to task ${taskId}`);
      node.assignees = node.assignees.filter((h) => h !== handle);
    });
  }

  /** The workspace's members, then every other assigned handle in outline order (the simulator's rule). */
  async listMembers(projectId: string, o: CallOptions = {}): Promise<ApiUser[]> {
    return this.#call(o, 'GET', '/projects/{projectId}/members', () => {
      const p = this.store.project(projectId);
      const out = this.store.workspace(this.#workspaceId).members.map((m) => ({ ...m }));
      const known = new Set(out.map((m) => m.handle));
      for (const id of this.store.preorder(p)) {
        for (const handle of p.nodes.get(id)?.assignees ?? []) {
          if (!known.has(handle)) {
            known.add(handle);
            out.push({ handle });
          }
        }
      }
      return out;
    });
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────────────────────────

  /** A task named in a path (the root included, as the simulator shows it by default). */
  #node(projectId: string, taskId: string): TaskNode {
    return this.store.node(this.store.project(projectId), taskId);
  }

  /** A task to write: the root node is readable but never written (400, as the simulator answers). */
  #writable(projectId: string, taskId: string, what: string): TaskNode {
    const p = this.store.project(projectId);
    const node = this.store.node(p, taskId);
    if (node.id === p.rootId)
      throw new ApiFailure(400, `Task ${taskId} is the project's root node, which cannot be ${what}`);
    return node;
  }

  /** Runs one "request": an aborted signal refuses it, and an ApiFailure becomes the client's error. */
  async #call<T>(o: CallOptions, method: string, route: string, operation: () => T | Promise<T>): Promise<T> {
    o.signal?.throwIfAborted();
    this.calls.push({ method, route });
    this.beforeCall?.({ method, route });
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      const { code: serverCode } = STATUS_CODES[error.status];
      throw new TaskadeError({
        code: codeForStatus(error.status),
        method,
        route,
        status: error.status,
        serverCode,
        serverMessage: error.message,
      });
    }
  }

  async #tolerating(
    o: CallOptions,
    method: string,
    route: string,
    tolerated: (error: unknown) => boolean,
    operation: () => void,
  ): Promise<void> {
    try {
      await this.#call(o, method, route, operation);
    } catch (error) {
      if (!tolerated(error)) throw error;
    }
  }

  async #readOptional<T>(o: CallOptions, route: string, operation: () => T): Promise<T | null> {
    try {
      return await this.#call(o, 'GET', route, operation);
    } catch (error) {
      if (isMissingSubresource(error)) return null;
      throw error;
    }
  }
}

/** The task as the simulator puts it on the wire (top-level tasks carry the root's id as parent). */
function wire(p: ProjectState, node: TaskNode): ApiTask {
  return presentTask(p, node, DEFAULT_BEHAVIOURS);
}

/** An anchor named in a body: 400 (not 404) when it is not in the project. */
function anchorNode(p: ProjectState, id: string, key: string): TaskNode {
  const node = p.nodes.get(id);
  if (node === undefined) throw new ApiFailure(400, `\`${key}\`: task ${id} is not in project ${p.id}`);
  return node;
}

/** The wire form of a create input: `taskId` only when anchored, as the client sends it. */
function onWire(input: ApiTaskCreateInput): Record<string, unknown> {
  const { contentType, content, placement } = input;
  return typeof input.taskId === 'string'
    ? { contentType, content, placement, taskId: input.taskId }
    : { contentType, content, placement };
}

function isChildPlacement(placement: Placement): boolean {
  return placement === 'afterbegin' || placement === 'beforeend';
}

/** The client's local text rules: at most 2000 UTF-16 units and one line (stricter than the spec). */
function checkText(method: string, route: string, text: string, name: string): void {
  if (text.length > LIMITS.contentLength) {
    throw refused(
      method,
      route,
      `expected ${name} to be at most ${LIMITS.contentLength} characters, got ${text.length}`,
    );
  }
  if (!ONE_LINE.test(text)) throw refused(method, route, `expected ${name} to be one line`);
}

function refused(method: string, route: string, detail: string): TaskadeError {
  return new TaskadeError({ method, route, code: 'VALIDATION', detail: `refused before sending: ${detail}` });
}
