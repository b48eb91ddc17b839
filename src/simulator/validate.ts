import { LIMITS } from '../taskade/limits.js';
import { badRequest } from './api-error.js';
import type { DateValue, PageQuery, Position } from './store.js';

/**
 * Hand-written request validation, one function per request schema of
 * `spec/taskade-v1/api-0.1.0.json`. Each one accepts exactly what the spec's schema
 * accepts (test/contract proves it against ajv on generated bodies), with the reading CONTRACT.md
 * gives for the task-create `allOf`: one object whose keys are the union of the members' keys,
 * unknown keys refused. Lengths count Unicode code points, as JSON Schema `maxLength` does.
 * Errors are 400 BAD_REQUEST naming the key and what was expected.
 */

type Json = Record<string, unknown>;

const POSITIONS: readonly Position[] = ['beforebegin', 'afterbegin', 'beforeend', 'afterend'];
const CONTENT_TYPES = ['text/markdown', 'text/plain'] as const;
const ONE_LINE = /^[^\r\n]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(?:[0-1][0-9]|[2][0-3]):[0-5][0-9](?::[0-5][0-9])?$/;
const MAX_CONTENT_LENGTH = LIMITS.contentLength;
const MAX_CREATE_BATCH = LIMITS.createBatch;
const MAX_PAGE_SIZE = LIMITS.pageSize;

/** Code points, not UTF-16 units: what JSON Schema `maxLength`/`minLength` count. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`\`${path}\` is ${describe(value)}, expected a JSON object`);
  }
  const obj = value as Json;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw badRequest(
        `Unexpected key \`${join(path, key)}\`, expected only ${allowed.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
  return obj;
}

function join(path: string, key: string): string {
  return path === 'body' ? key : `${path}.${key}`;
}

function required(obj: Json, key: string, path: string): unknown {
  if (!(key in obj)) throw badRequest(`Missing required key \`${join(path, key)}\``);
  return obj[key];
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw badRequest(`\`${path}\` is ${describe(value)}, expected a string`);
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw badRequest(`\`${path}\` is ${describe(value)}, expected one of ${options.map((o) => `"${o}"`).join(', ')}`);
  }
  return value as T;
}

function content(value: unknown, path: string, oneLine: boolean): string {
  const text = string(value, path);
  const length = codePointLength(text);
  if (length > MAX_CONTENT_LENGTH) {
    throw badRequest(`\`${path}\` is ${length} characters long, expected at most ${MAX_CONTENT_LENGTH}`);
  }
  if (oneLine && !ONE_LINE.test(text)) throw badRequest(`\`${path}\` contains a line break, expected a single line`);
  return text;
}

// ---- bodies ----

export interface CreateTaskInput {
  contentType: (typeof CONTENT_TYPES)[number];
  content: string;
  placement: Position;
  /** The anchor as sent: a task id, or null when omitted / JSON null / the string "null". */
  taskId: string | null;
}

/** POST /projects/{projectId}/tasks/ */
export function parseCreateTasks(body: unknown): CreateTaskInput[] {
  const obj = object(body, 'body', ['tasks']);
  const tasks = required(obj, 'tasks', 'body');
  if (!Array.isArray(tasks)) throw badRequest(`\`tasks\` is ${describe(tasks)}, expected an array`);
  if (tasks.length > MAX_CREATE_BATCH) {
    throw badRequest(`\`tasks\` has ${tasks.length} items, expected at most ${MAX_CREATE_BATCH} per request`);
  }
  return tasks.map((task, i) => {
    const path = `tasks[${i}]`;
    const t = object(task, path, ['contentType', 'content', 'placement', 'taskId']);
    const contentType = oneOf(required(t, 'contentType', path), `${path}.contentType`, CONTENT_TYPES);
    const text = content(required(t, 'content', path), `${path}.content`, false);
    const placement = oneOf(required(t, 'placement', path), `${path}.placement`, POSITIONS);
    const rawAnchor = t.taskId;
    // The spec's no-anchor branch is zod's z.null() rendered as {enum:['null'], nullable:true}:
    // omitted, JSON null and the string "null" (sent by the official MCP server) all mean "none".
    if (rawAnchor === undefined || rawAnchor === null) {
      if (placement !== 'afterbegin' && placement !== 'beforeend') {
        throw badRequest(
          `\`${path}.placement\` is "${placement}" without \`${path}.taskId\`; expected "afterbegin" or "beforeend" (or give a taskId)`,
        );
      }
      return { contentType, content: text, placement, taskId: null };
    }
    const anchor = string(rawAnchor, `${path}.taskId`);
    return { contentType, content: text, placement, taskId: anchor === 'null' ? null : anchor };
  });
}

/** PUT /projects/{projectId}/tasks/{taskId} */
export function parseTaskUpdate(body: unknown): { contentType: string; content: string } {
  const obj = object(body, 'body', ['contentType', 'content']);
  const contentType = oneOf(required(obj, 'contentType', 'body'), 'contentType', CONTENT_TYPES);
  return { contentType, content: content(required(obj, 'content', 'body'), 'content', true) };
}

/** PUT /projects/{projectId}/tasks/{taskId}/move */
export function parseMove(body: unknown): { taskId: string; position: Position } {
  const obj = object(body, 'body', ['target']);
  const target = object(required(obj, 'target', 'body'), 'target', ['taskId', 'position']);
  const taskId = string(required(target, 'taskId', 'target'), 'target.taskId');
  if (taskId.length === 0) throw badRequest('`target.taskId` is empty, expected a task id');
  return { taskId, position: oneOf(required(target, 'position', 'target'), 'target.position', POSITIONS) };
}

/** PUT …/note */
export function parseNote(body: unknown): { type: string; value: string } {
  const obj = object(body, 'body', ['type', 'value']);
  const type = oneOf(required(obj, 'type', 'body'), 'type', CONTENT_TYPES);
  const value = string(required(obj, 'value', 'body'), 'value');
  if (value.length === 0) throw badRequest('`value` is empty, expected a non-empty note (DELETE the note to clear it)');
  if (!ONE_LINE.test(value)) throw badRequest('`value` contains a line break, expected a single line');
  return { type, value };
}

/** One `Date` object of the spec (`{date, time?, timezone?}`); `path` names it in errors. */
export function parseDateValue(value: unknown, path: string): DateValue {
  const obj = object(value, path, ['date', 'time', 'timezone']);
  const day = string(required(obj, 'date', path), `${path}.date`);
  if (!DATE.test(day)) throw badRequest(`\`${path}.date\` is ${describe(day)}, expected YYYY-MM-DD`);
  const out: DateValue = { date: day };
  if ('time' in obj) {
    if (obj.time === null) out.time = null;
    else {
      const time = string(obj.time, `${path}.time`);
      if (!TIME.test(time))
        throw badRequest(`\`${path}.time\` is ${describe(time)}, expected HH:MM or HH:MM:SS (24-hour) or null`);
      out.time = time;
    }
  }
  if ('timezone' in obj) out.timezone = obj.timezone === null ? null : string(obj.timezone, `${path}.timezone`);
  return out;
}

/** PUT …/date */
export function parseDate(body: unknown): { start: DateValue; end?: DateValue } {
  const obj = object(body, 'body', ['start', 'end']);
  const start = parseDateValue(required(obj, 'start', 'body'), 'start');
  return 'end' in obj ? { start, end: parseDateValue(obj.end, 'end') } : { start };
}

/** PUT …/assignees */
export function parseAssignees(body: unknown): string[] {
  const obj = object(body, 'body', ['handles']);
  const handles = required(obj, 'handles', 'body');
  if (!Array.isArray(handles)) throw badRequest(`\`handles\` is ${describe(handles)}, expected an array of strings`);
  return handles.map((h, i) => {
    const handle = string(h, `handles[${i}]`);
    if (handle.length === 0) throw badRequest(`\`handles[${i}]\` is empty, expected a user handle`);
    return handle;
  });
}

/** POST /projects (withFolder) and POST /workspaces/{workspaceId}/projects. */
export function parseProjectCreate(body: unknown, withFolder: boolean): { folderId?: string; content: string } {
  const keys = withFolder ? ['folderId', 'contentType', 'content'] : ['contentType', 'content'];
  const obj = object(body, 'body', keys);
  let folderId: string | undefined;
  if (withFolder) {
    folderId = string(required(obj, 'folderId', 'body'), 'folderId');
    if (folderId.length === 0) throw badRequest('`folderId` is empty, expected a folder or workspace id');
  }
  oneOf(required(obj, 'contentType', 'body'), 'contentType', ['text/markdown'] as const);
  const text = string(required(obj, 'content', 'body'), 'content');
  return folderId === undefined ? { content: text } : { folderId, content: text };
}

/**
 * Operations without a request body (complete, uncomplete, GETs, DELETEs): production clients
 * send `{}` with a JSON content type, so an empty body or any JSON object is accepted.
 */
export function parseNoBody(body: unknown): void {
  if (body === undefined) return;
  object(body, 'body', Object.keys(body as Json));
}

// ---- query strings ----

function numberParam(query: URLSearchParams, name: string, fallback: number, max?: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw badRequest(`Query parameter \`${name}\` is "${raw}", expected a whole number of at least 1`);
  }
  if (max !== undefined && n > max) throw badRequest(`Query parameter \`${name}\` is ${n}, expected at most ${max}`);
  return n;
}

/** GET /projects/{projectId}/tasks and …/blocks: limit (default 100, max 1000), after | before. */
export function parseTaskPage(query: URLSearchParams, max: number | undefined = MAX_PAGE_SIZE): PageQuery {
  const limit = numberParam(query, 'limit', 100, max);
  const after = query.get('after');
  const before = query.get('before');
  if (after !== null && before !== null) {
    throw badRequest('Query parameters `after` and `before` were both given, expected at most one of them');
  }
  const page: PageQuery = { limit };
  if (after !== null) page.after = after;
  if (before !== null) page.before = before;
  return page;
}

/** Page-number paging of GET /me/projects (default limit 100) and GET …/members (default 20). */
export function parseNumberedPage(query: URLSearchParams, defaultLimit: number): { limit: number; page: number } {
  return { limit: numberParam(query, 'limit', defaultLimit), page: numberParam(query, 'page', 1) };
}

export function parseSort(query: URLSearchParams): 'viewed-asc' | 'viewed-desc' {
  const raw = query.get('sort');
  return raw === null ? 'viewed-desc' : oneOf(raw, 'sort', ['viewed-asc', 'viewed-desc'] as const);
}
