/**
 * The client's error kinds: a small set with a stable `code`, carrying what the server said.
 * Messages name the method, the spec route and the server's code/message — never the token
 * (the token only ever travels in the Authorization header).
 */
import { SyncError } from '../model/errors.js';

export type TaskadeErrorCode =
  | 'AUTH' // 401 / 403: the token was refused
  | 'NOT_FOUND' // 404
  | 'VALIDATION' // any other 4xx, a 200 with ok:false, or a request refused locally before sending
  | 'RATE_LIMITED' // 429
  | 'SERVER' // 5xx, or a response body that does not follow the spec
  | 'NETWORK' // connection refused, reset or dropped
  | 'TIMEOUT'; // no complete response within the client's timeout

/**
 * What a failure means to the caller, decided here once: the token was refused (`auth`, ends
 * the run, exit 5), Taskade is failing or unreachable (`transient`: 5xx, network, timeout, 429s
 * that outlasted the queue's retries; exit 6 when it persists), or this one request was refused
 * (`item`: 404 or another 4xx; the failure stays with its item, project or file).
 */
export type TaskadeErrorKind = 'auth' | 'transient' | 'item';

export function kindOfCode(code: TaskadeErrorCode): TaskadeErrorKind {
  switch (code) {
    case 'AUTH':
      return 'auth';
    case 'SERVER':
    case 'NETWORK':
    case 'TIMEOUT':
    case 'RATE_LIMITED':
      return 'transient';
    case 'NOT_FOUND':
    case 'VALIDATION':
      return 'item';
  }
}

export interface TaskadeErrorInit {
  code: TaskadeErrorCode;
  method: string;
  /** The spec route key, e.g. `PUT /projects/{projectId}/tasks/{taskId}`. */
  route: string;
  status?: number | null;
  serverCode?: string | null;
  serverMessage?: string | null;
  retryAfterMs?: number | null;
  maybeApplied?: boolean;
  /** What went wrong, for errors that do not come from the server (local validation, bad body). */
  detail?: string;
  cause?: unknown;
}

export class TaskadeError extends Error {
  readonly code: TaskadeErrorCode;
  readonly kind: TaskadeErrorKind;
  readonly status: number | null;
  readonly serverCode: string | null;
  readonly serverMessage: string | null;
  readonly retryAfterMs: number | null;
  readonly method: string;
  readonly route: string;
  /**
   * The request may have reached the server and been applied although no answer arrived
   * (connection lost after sending, timeout, 5xx). The engine's intent log relies on this for
   * creates, which are never re-sent.
   */
  readonly maybeApplied: boolean;

  constructor(init: TaskadeErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TaskadeError';
    this.code = init.code;
    this.kind = kindOfCode(init.code);
    this.status = init.status ?? null;
    this.serverCode = init.serverCode ?? null;
    this.serverMessage = init.serverMessage ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.method = init.method;
    this.route = init.route;
    this.maybeApplied = init.maybeApplied ?? false;
  }
}

function describe(init: TaskadeErrorInit): string {
  const parts = [`Taskade ${init.method} ${init.route}:`];
  parts.push(init.status === undefined || init.status === null ? init.code : `${init.status} ${init.code}`);
  if (init.serverCode) parts.push(`(${init.serverCode})`);
  if (init.serverMessage) parts.push(`"${init.serverMessage}"`);
  if (init.detail) parts.push(`— ${init.detail}`);
  if (init.retryAfterMs !== undefined && init.retryAfterMs !== null)
    parts.push(`(retry after ${init.retryAfterMs} ms)`);
  return parts.join(' ');
}

export function isTaskadeError(error: unknown, code?: TaskadeErrorCode): error is TaskadeError {
  return error instanceof TaskadeError && (code === undefined || error.code === code);
}

/** The error code a status maps to. 2xx bodies with ok:false go through `codeForServerCode`. */
export function codeForStatus(status: number): TaskadeErrorCode {
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER';
  return 'VALIDATION';
}

/** For `{ok:false, code}` inside a 200: the server's code is all we have to go on. */
export function codeForServerCode(serverCode: string | null): TaskadeErrorCode {
  switch (serverCode?.toUpperCase()) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return 'AUTH';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'TOO_MANY_REQUESTS':
      return 'RATE_LIMITED';
    case 'INTERNAL_SERVER_ERROR':
      return 'SERVER';
    default:
      return 'VALIDATION';
  }
}

/**
 * The engine-level error for a client error that ends a run: AUTH → exit 5; a server that is
 * failing, unreachable or keeps rate-limiting → UNREACHABLE (exit 6). Other codes concern one
 * item and stay TaskadeErrors (a failure stays where it happened).
 */
export function toSyncError(error: TaskadeError): SyncError {
  const data = { method: error.method, route: error.route, status: error.status, taskadeCode: error.code };
  if (error.kind === 'auth') {
    return new SyncError('AUTH', `Taskade refused the token (${error.message})`, data, { cause: error });
  }
  if (error.kind === 'transient') {
    return new SyncError('UNREACHABLE', `Taskade is unreachable or failing (${error.message})`, data, { cause: error });
  }
  return new SyncError('INTERNAL', error.message, data, { cause: error });
}
