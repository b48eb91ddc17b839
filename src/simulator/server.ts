import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiFailure, STATUS_CODES, type ApiErrorStatus, type ErrorBody } from './api-error.js';
import type { FaultInjector } from './faults.js';
import type { Behaviours } from './present.js';
import type { RateLimiter } from './rate-limit.js';
import { matchRoute, refusedCreateForm } from './routes.js';
import type { Store } from './store.js';

/**
 * The request pipeline of the v1 API: route → stats → auth → rate limit → faults → body →
 * handler → response. Everything it needs is injected through `PipelineState`, so the HTTP
 * server, the `/__sim` hooks and the programmatic API share one live state.
 */

export const API_PREFIX = '/api/v1';
/** Request bodies above this are refused with 413 (JSON body, as Taskade's changelog says). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface SimulatorStats {
  /** Key: `${METHOD} ${specRoute}`; requests matching no route count as `${METHOD} (no route)`. */
  requests: Record<string, number>;
  /** v1 requests received (including 401s, 429s and faulted ones). */
  total: number;
  /** GET v1 requests. */
  reads: number;
  /** Non-GET v1 requests. */
  writes: number;
  /** 429s sent. */
  rateLimited: number;
  /** Fault rules fired (a latency rule counts too). */
  faults: number;
}

export function emptyStats(): SimulatorStats {
  return { requests: {}, total: 0, reads: 0, writes: 0, rateLimited: 0, faults: 0 };
}

/** One v1 request and what the simulator did with it; `status` 0 = connection dropped, no response. */
export interface Exchange {
  method: string;
  /** Spec route key, or null when the path matched no route. */
  route: string | null;
  path: string;
  status: number;
  /** The parsed JSON body, undefined when empty, or the raw text when it was not JSON. */
  requestBody: unknown;
  responseBody: unknown;
}

export interface PipelineState {
  store: Store;
  behaviours: Behaviours;
  tokens: readonly string[];
  stats: SimulatorStats;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  latencyMs: number;
  onMutation(): void;
  onExchange?: ((exchange: Exchange) => void) | undefined;
}

export async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge };
}

/** undefined for an empty body; `{ invalid }` for text that is not JSON. */
export function parseJson(text: string): { value: unknown } | { invalid: string } {
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { invalid: (error as Error).message };
  }
}

export function errorBody(status: ApiErrorStatus, message: string): ErrorBody {
  return new ApiFailure(status, message).body();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** Handles one request under `/api/v1`. `path` is the part after the prefix, query excluded. */
export async function handleV1(
  state: PipelineState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.slice(API_PREFIX.length) || '/';
  const { text, tooLarge } = await readBody(req);
  const parsed = parseJson(text);
  const requestBody = 'value' in parsed ? parsed.value : text;
  const match = matchRoute(method, path);
  const route = match?.route.specRoute ?? null;

  const stats = state.stats;
  const key = `${method} ${route ?? '(no route)'}`;
  stats.requests[key] = (stats.requests[key] ?? 0) + 1;
  stats.total++;
  if (method === 'GET') stats.reads++;
  else stats.writes++;

  let headers: Record<string, string> = {};
  const exchange = (status: number, responseBody: unknown): void => {
    state.onExchange?.({ method, route, path, status, requestBody, responseBody });
  };
  const respond = (status: number, body: unknown): void => {
    sendJson(res, status, body, headers);
    exchange(status, body);
  };
  const fail = (status: ApiErrorStatus, message: string): void => respond(status, errorBody(status, message));

  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined || !state.tokens.includes(token)) {
    fail(
      401,
      token === undefined ? 'Unauthorized: send `Authorization: Bearer <token>`' : 'Unauthorized: unknown token',
    );
    return;
  }
  const rate = state.rateLimiter.take(token);
  if (rate !== null) {
    headers = { ...rate.headers };
    if (!rate.allowed) {
      stats.rateLimited++;
      headers['Retry-After'] = String(rate.retryAfterSeconds);
      fail(429, `Rate limit exceeded: retry after ${rate.retryAfterSeconds} s`);
      return;
    }
  }
  if (match === null || refusedCreateForm(match, path, state.behaviours)) {
    fail(404, `No such endpoint: ${method} ${API_PREFIX}${path}`);
    return;
  }

  const fault = state.faults.decide(method, route);
  stats.faults += fault.fired;
  // Latency is spent before the request reaches the handler: a client that gives up while
  // waiting has not changed anything (use 'applyThenDrop' for the other case).
  await sleep(state.latencyMs + fault.latencyMs);
  if (req.socket.destroyed && fault.outcome !== 'applyLate') {
    // The client gave up during the delay: the request is dropped unapplied, so 'latency' stays
    // a pure delay; 'applyThenDrop' and 'applyLate' are the ways to lose a response after a change.
    exchange(0, undefined);
    return;
  }
  if (fault.outcome === 'drop') {
    res.socket?.destroy();
    exchange(0, undefined);
    return;
  }
  if (fault.outcome === 'status500' || fault.outcome === 'status503') {
    const status = fault.outcome === 'status500' ? 500 : 503;
    if (status === 503) headers['Retry-After'] = '1';
    fail(status, `Injected fault: ${STATUS_CODES[status].statusMessage}`);
    return;
  }

  let status = 200;
  let body: unknown;
  if (tooLarge) {
    status = 413;
    body = errorBody(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
  } else if ('invalid' in parsed) {
    status = 400;
    body = errorBody(400, `Request body is not valid JSON: ${parsed.invalid}`);
  } else {
    try {
      const result = match.route.handle({
        store: state.store,
        behaviours: state.behaviours,
        params: match.params,
        query: url.searchParams,
        body: requestBody,
      });
      body = result.body;
      if (result.mutated) state.onMutation();
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      status = error.status;
      body = error.body();
    }
  }
  if (fault.outcome === 'applyThenDrop') {
    // The change (if any) is made; the client never hears of it — the case that duplicates creates.
    res.socket?.destroy();
    exchange(0, undefined);
    return;
  }
  respond(status, body);
}
