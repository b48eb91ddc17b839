/**
 * The two pieces of undici the client uses — its connection-pooling `Agent` and its `request`
 * API — loaded on their own. undici's entry point also loads fetch, WebSocket, EventSource, the
 * mock agents, the cache stores and the interceptors: 110 modules and about 10 MB of RSS a
 * daemon would carry for nothing (bench/startup.ts counts the modules; README "Memory and idle
 * cost" has the figures). undici 7 has no `exports` map, so its files are reachable by path; the
 * version is pinned exactly in package.json, and should a later undici move these files or close
 * them off, the entry point is loaded instead (the same classes, only heavier).
 * `test/taskade/undici.test.ts` checks that the Agent is the entry point's own and that a request
 * arrives as sent.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

const require = createRequire(import.meta.url);

type UndiciAgent = typeof import('undici').Agent;
type ApiRequest = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

function load(): { Agent: UndiciAgent; apiRequest: ApiRequest; pieces: boolean } {
  try {
    return {
      Agent: require('undici/lib/dispatcher/agent.js') as UndiciAgent,
      apiRequest: require('undici/lib/api/api-request.js') as ApiRequest,
      pieces: true,
    };
  } catch {
    const undici = require('undici') as typeof import('undici');
    // The entry point puts the request API on every dispatcher's prototype.
    return { Agent: undici.Agent, apiRequest: undici.Dispatcher.prototype.request as ApiRequest, pieces: false };
  }
}

const loaded = load();

/** undici's `Agent` class. */
export const Agent: UndiciAgent = loaded.Agent;
export type Agent = import('undici').Agent;

/** Whether undici's pieces were loaded by path (false: its entry point, after a layout change). */
export const loadedByPath: boolean = loaded.pieces;

/**
 * `undici.request(url, options)` for a URL and an explicit dispatcher: origin and path from the
 * URL, as the entry point's wrapper does, without the entry point. `method` is required (the
 * wrapper would default it to GET, or PUT with a body).
 */
export function request(
  dispatcher: Dispatcher,
  url: URL,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
): Promise<Dispatcher.ResponseData> {
  return loaded.apiRequest.call(dispatcher, {
    ...options,
    origin: url.origin,
    path: url.search ? `${url.pathname}${url.search}` : url.pathname,
  });
}
