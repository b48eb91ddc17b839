/**
 * What the request queue learned about a token's rate limit, kept in the journal between runs so
 * the next run starts where the last one ended instead of finding the limit again. The key is a
 * hash of the token: the token itself is never written.
 */
import { createHash } from 'node:crypto';
import type { RateMemory } from '../journal/types.js';
import { RequestQueue, type RequestQueueOptions } from './request-queue.js';

/** The subset of the journal this needs. */
export interface RateMemoryStore {
  getRateMemory(tokenKey: string): RateMemory | null;
  putRateMemory(tokenKey: string, memory: RateMemory): void;
}

/** How far the rate may rise above the configured budget when `maxRequestsPerMinute` is unset. */
export const DEFAULT_MAX_FACTOR = 10;

/** A stable key for a token: sha256 over a fixed prefix and the token, 32 hex digits. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(`taskade-sync rate memory\0${token}`, 'utf8').digest('hex').slice(0, 32);
}

export interface RateSettings {
  requestsPerMinute: number;
  /** @default requestsPerMinute × DEFAULT_MAX_FACTOR */
  maxRequestsPerMinute?: number | null | undefined;
}

/**
 * A queue for `token` that starts at the rate an earlier run learned under the same budget (a
 * changed `requestsPerMinute` starts afresh from it).
 */
export function queueFromMemory(
  o: RateSettings & { token: string; store: RateMemoryStore; queue?: Omit<RequestQueueOptions, 'requestsPerMinute'> },
): RequestQueue {
  const learned = o.store.getRateMemory(tokenKey(o.token));
  const start = learned !== null && learned.budgetPerMinute === o.requestsPerMinute ? learned.ratePerMinute : undefined;
  return new RequestQueue({
    ...o.queue,
    requestsPerMinute: o.requestsPerMinute,
    maxRequestsPerMinute: Math.max(
      o.requestsPerMinute,
      o.maxRequestsPerMinute ?? o.requestsPerMinute * DEFAULT_MAX_FACTOR,
    ),
    ...(start === undefined ? {} : { startRequestsPerMinute: start }),
  });
}

/** Writes what `queue` learned, unless it sent nothing (then there is nothing new to keep). */
export function rememberRate(queue: RequestQueue, store: RateMemoryStore, token: string, at: number): void {
  const s = queue.stats();
  if (s.sent === 0) return;
  store.putRateMemory(tokenKey(token), {
    budgetPerMinute: s.budgetPerMinute,
    ratePerMinute: s.currentRatePerMinute,
    limitedAtPerMinute: s.limitedAtPerMinute,
    updatedAt: at,
  });
}
