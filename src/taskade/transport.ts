/**
 * One HTTP exchange with the Taskade API over undici: builds the request, enforces the timeout,
 * and turns every failure into a TaskadeError. No retries here — the request queue decides.
 */
import type { Dispatcher } from 'undici';
import { codeForStatus, TaskadeError } from './errors.js';
import { linkedSignal } from './linked-signal.js';
import { parseRetryAfter } from './rate-limit-headers.js';
import type { RequestContext } from './tolerate.js';
import { successBody } from './tolerate.js';
import { request } from './undici.js';

export interface Exchange extends RequestContext {
  /** Path with parameters filled in, relative to the base URL. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Whether re-sending could apply the change twice; decides `maybeApplied`. */
  idempotent: boolean;
}

export interface TransportOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  dispatcher: Dispatcher;
  userAgent: string;
  now: () => number;
  /** Sees the headers of every response (rate-limit hints). */
  onHeaders: (headers: Record<string, string | undefined>) => void;
}

export interface ExchangeResult {
  status: number;
  body: Record<string, unknown>;
}

/** Connection errors raised before a byte of the request left: nothing can have been applied. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export async function exchange(options: TransportOptions, ex: Exchange, signal?: AbortSignal): Promise<ExchangeResult> {
  const ctx: RequestContext = { method: ex.method, route: ex.route };
  const url = new URL(options.baseUrl + ex.path);
  for (const [key, value] of Object.entries(ex.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    'user-agent': options.userAgent,
  };
  if (ex.body !== undefined) headers['content-type'] = 'application/json';

  // The timeout's timer and the link to the caller's signal end with the exchange (linked-signal.ts).
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    options.timeoutMs,
  );
  const linked = signal ? linkedSignal([signal, timeout.signal]) : null;
  const combined = linked?.signal ?? timeout.signal;
  let status: number;
  let text: string;
  let responseHeaders: Record<string, string | undefined>;
  try {
    const response = await request(options.dispatcher, url, {
      method: ex.method as Dispatcher.HttpMethod,
      headers,
      body: ex.body === undefined ? undefined : JSON.stringify(ex.body),
      signal: combined,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    status = response.statusCode;
    responseHeaders = flattenHeaders(response.headers);
    text = await response.body.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw transportError(ctx, ex.idempotent, error, timeout.signal.aborted);
  } finally {
    clearTimeout(timer);
    linked?.release();
  }

  options.onHeaders(responseHeaders);
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) {
    if (parsed === undefined) {
      throw new TaskadeError({
        ...ctx,
        code: 'SERVER',
        status,
        maybeApplied: true,
        detail: 'the response body is not JSON',
      });
    }
    return { status, body: successBody(ctx, status, parsed) };
  }
  const error = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const code = codeForStatus(status);
  throw new TaskadeError({
    ...ctx,
    code,
    status,
    serverCode: typeof error.code === 'string' ? error.code : null,
    serverMessage: typeof error.message === 'string' ? error.message : null,
    retryAfterMs: parseRetryAfter(responseHeaders['retry-after'], options.now()),
    // A 5xx may have come after the change was made; a 4xx (429 included) was refused.
    maybeApplied: code === 'SERVER',
  });
}

function transportError(ctx: RequestContext, idempotent: boolean, error: unknown, timedOut: boolean): TaskadeError {
  const errorCode = (error as { code?: unknown } | null)?.code;
  const code = typeof errorCode === 'string' ? errorCode : '';
  const isTimeout = timedOut || TIMEOUTS.has(code);
  const reason = error instanceof Error ? error.message : String(error);
  return new TaskadeError({
    ...ctx,
    code: isTimeout ? 'TIMEOUT' : 'NETWORK',
    maybeApplied: !NOT_SENT.has(code),
    detail: `${isTimeout ? 'no complete response in time' : 'the connection failed'}${code ? ` (${code})` : ''}: ${reason}${idempotent ? '' : '; this request is not re-sent'}`,
    cause: error,
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = Array.isArray(value) ? value[0] : value;
  return out;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return ESCAPED_SURROGATE.test(text)
      ? (JSON.parse(text, wellFormedStrings) as unknown)
      : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * JSON may carry half of a UTF-16 pair (`"\ud800"`), which no UTF-8 file, hash or SQLite text can
 * hold: Node writes it to a file as U+FFFD, better-sqlite3 stores three bytes that read back as
 * three U+FFFD, and the three views of the task never agree again (a conflict that never clears).
 * So a lone surrogate from Taskade is read as U+FFFD, once, here, and every view holds the same
 * text; Taskade keeps its own until the task is edited, then gets the U+FFFD. Only bodies with
 * an escaped surrogate pay for the reviver.
 */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /\p{Cs}/gu;

function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value;
}
