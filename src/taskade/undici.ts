/**
 * The two pieces of undici the client uses — its connection-pooling `Agent` and its `request`
 * API — loaded on their own. undici's entry point also loads fetch, WebSocket, EventSource, the
 * mock agents, the cache stores and the interceptors: 110 modules and about 10 MB of RSS a
 * daemon would carry for nothing (bench/startup.ts counts the modules; README "Memory and idle
 * cost" has the figures). undici 7 has no `exports` map, so its files are reachable by path; the
 * version is pinned in package.json and `test/taskade/undici.test.ts` checks that these are the
 * very classes and functions the entry point exports.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

const require = createRequire(import.meta.url);

/** undici's `Agent` class, from `undici/lib/dispatcher/agent.js`. */
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof import('undici').Agent;
export type Agent = import('undici').Agent;

type ApiRequest = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

const apiRequest = require('undici/lib/api/api-request.js') as ApiRequest;

/**
 * `undici.request(url, options)` for a URL and an explicit dispatcher: what the entry point's
 * wrapper does for us (origin and path from the URL, the method defaulted), without the entry
 * point.
 */
export function request(
  dispatcher: Dispatcher,
  url: URL,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, {
    ...options,
    origin: url.origin,
    path: url.search ? `${url.pathname}${url.search}` : url.pathname,
  });
}
