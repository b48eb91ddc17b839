/**
 * The rate-aware request queue every Taskade call goes through.
 *
 * - p-queue orders waiting requests by priority (writes before reads before background reads)
 *   and hands out one send slot at a time, so a write that arrives late still goes next.
 * - A send slot needs a free connection (at most `concurrency` requests in flight) and room in
 *   the per-token budget (`RequestBudget`: requests per rolling minute paced evenly, 429 pauses,
 *   and a rate that rises while no 429 comes and drops at once on one).
 * - Failures are retried here and nowhere else: 429 always (the server did not apply the request,
 *   so even a create may be re-sent); 5xx, network errors and timeouts only for idempotent
 *   requests, after a full-jitter backoff; never a 4xx. A create that lost its connection is never
 *   re-sent — the engine's intent log finds out whether it landed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import { fullJitterDelay } from './backoff.js';
import { systemClock, type Clock } from '../model/clock.js';
import { TaskadeError } from './errors.js';
import { RequestBudget } from './request-budget.js';
import { linkedSignal } from './linked-signal.js';

export type Priority = 'write' | 'read' | 'background';

const PRIORITY_RANK: Record<Priority, number> = { write: 2, read: 1, background: 0 };

export interface RequestQueueOptions {
  /**
   * Budget per token. Taskade publishes no number (the only published figure is 5 per 60 s for
   * bundle imports); one request a second keeps a daemon well below any plausible limit and
   * leaves room for the user's other tools on the same token, and 429 handling covers the rest.
   * @default 60
   */
  requestsPerMinute?: number;
  /**
   * How high the rate may rise while no 429 comes (additive increase, see RequestBudget).
   * @default requestsPerMinute (a fixed rate)
   */
  maxRequestsPerMinute?: number;
  /** Start here instead of at `requestsPerMinute` (what an earlier run learned for the token). */
  startRequestsPerMinute?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Retries after 5xx / network / timeout, for idempotent requests. @default 4 */
  maxRetries?: number;
  /** Re-sends after a 429 before giving up with RATE_LIMITED. @default 8 */
  maxRateLimitRetries?: number;
  /** First backoff ceiling; doubles per retry. @default 500 */
  baseBackoffMs?: number;
  /** @default 30000 */
  maxBackoffMs?: number;
  /** Pause after a 429 without a usable Retry-After. @default 5000 */
  defaultRetryAfterMs?: number;
  /** Longest pause a single 429 or X-RateLimit-Reset can impose. @default 300000 */
  maxPauseMs?: number;
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Source of jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

export interface QueuedRequest<T> {
  priority: Priority;
  /** May be sent again after an unknown outcome (5xx, connection lost, timeout). */
  idempotent: boolean;
  attempt: () => Promise<T>;
  signal?: AbortSignal;
}

export interface RequestQueueStats {
  /** Attempts handed to the network (first sends and retries). */
  sent: number;
  retried: number;
  /** 429 answers seen. */
  rateLimited: number;
  /** Total time the queue was held by 429s and exhausted rate-limit windows. */
  pausedMs: number;
  budgetPerMinute: number;
  currentRatePerMinute: number;
  maxRatePerMinute: number;
  /** The rate at which the last 429 came (null: none seen). */
  limitedAtPerMinute: number | null;
  /** Attempts sent and not answered yet. */
  inFlight: number;
}

/** Set by the queue when a request queued under `watchSends` is handed to the network. */
export interface SendWatch {
  sent: boolean;
}

const sendWatch = new AsyncLocalStorage<SendWatch>();

/**
 * Runs `fn`, and marks `watch.sent` when a request it queues is handed to the network — so a
 * caller can tell a request that was sent (and failed) from one the queue never sent (cleared,
 * or its signal fired while it waited for the budget). The request's own error is unchanged.
 */
export function watchSends<T>(watch: SendWatch, fn: () => Promise<T>): Promise<T> {
  return sendWatch.run(watch, fn);
}

export class RequestQueue {
  readonly clock: Clock;
  readonly #budget: RequestBudget;
  readonly #dispatch = new PQueue({ concurrency: 1 });
  readonly #maxRetries: number;
  readonly #maxRateLimitRetries: number;
  readonly #baseBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #defaultRetryAfterMs: number;
  readonly #maxPauseMs: number;
  readonly #concurrency: number;
  readonly #random: () => number;
  #inFlight = 0;
  #slotWaiters: Array<() => void> = [];
  #active = 0;
  #idleWaiters: Array<() => void> = [];
  #clearController = newClearController();
  #sent = 0;
  #retried = 0;
  #rateLimited = 0;
  #awaiting = 0;

  constructor(options: RequestQueueOptions = {}) {
    const rpm = options.requestsPerMinute ?? 60;
    positive('requestsPerMinute', rpm);
    this.#maxRetries = nonNegativeInteger('maxRetries', options.maxRetries ?? 4);
    this.#maxRateLimitRetries = nonNegativeInteger('maxRateLimitRetries', options.maxRateLimitRetries ?? 8);
    this.#baseBackoffMs = positive('baseBackoffMs', options.baseBackoffMs ?? 500);
    this.#maxBackoffMs = positive('maxBackoffMs', options.maxBackoffMs ?? 30_000);
    this.#defaultRetryAfterMs = positive('defaultRetryAfterMs', options.defaultRetryAfterMs ?? 5_000);
    this.#maxPauseMs = positive('maxPauseMs', options.maxPauseMs ?? 300_000);
    this.#concurrency = nonNegativeInteger('concurrency', options.concurrency ?? 4);
    if (this.#concurrency < 1)
      throw new TypeError(`Expected \`options.concurrency\` to be at least 1, got \`${this.#concurrency}\``);
    this.clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#budget = new RequestBudget({
      requestsPerMinute: rpm,
      clock: this.clock,
      ...(options.maxRequestsPerMinute === undefined
        ? {}
        : { maxRatePerMinute: positive('maxRequestsPerMinute', options.maxRequestsPerMinute) }),
      ...(options.startRequestsPerMinute === undefined
        ? {}
        : { startRatePerMinute: positive('startRequestsPerMinute', options.startRequestsPerMinute) }),
    });
  }

  /** Sends `attempt` when budget and priority allow, retrying per the rules above. */
  async run<T>(request: QueuedRequest<T>): Promise<T> {
    this.#active++;
    try {
      return await this.#runWithRetries(request);
    } finally {
      this.#active--;
      if (this.#active === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves when no request is waiting, in flight or backing off. */
  onIdle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops handing out send slots (requests in flight finish). */
  pause(): void {
    this.#dispatch.pause();
  }

  resume(): void {
    this.#dispatch.start();
  }

  /** Rejects every request that has not been sent yet (including those waiting to retry). */
  clear(): void {
    const controller = this.#clearController;
    this.#clearController = newClearController();
    controller.abort(new DOMException('The request queue was cleared', 'AbortError'));
  }

  /** Holds every send for `ms` (e.g. `X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`). */
  pauseFor(ms: number): void {
    this.#budget.pauseFor(Math.min(ms, this.#maxPauseMs));
  }

  stats(): RequestQueueStats {
    return {
      sent: this.#sent,
      retried: this.#retried,
      rateLimited: this.#rateLimited,
      pausedMs: this.#budget.pausedMs,
      budgetPerMinute: this.#budget.budgetPerMinute,
      currentRatePerMinute: this.#budget.currentRatePerMinute,
      maxRatePerMinute: this.#budget.maxRatePerMinute,
      limitedAtPerMinute: this.#budget.limitedAtPerMinute,
      inFlight: this.#awaiting,
    };
  }

  async #runWithRetries<T>(request: QueuedRequest<T>): Promise<T> {
    const linked = request.signal ? linkedSignal([request.signal, this.#clearController.signal]) : null;
    try {
      return await this.#sendWithRetries(request, linked?.signal ?? this.#clearController.signal);
    } finally {
      linked?.release();
    }
  }

  async #sendWithRetries<T>(request: QueuedRequest<T>, signal: AbortSignal): Promise<T> {
    const watch = sendWatch.getStore();
    let retries = 0;
    let rateLimitRetries = 0;
    for (;;) {
      await this.#acquireSendSlot(request.priority, signal);
      if (watch !== undefined) watch.sent = true;
      let outcome: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        this.#sent++;
        this.#awaiting++;
        outcome = { ok: true, value: await request.attempt() };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        this.#awaiting--;
        this.#releaseSlot();
      }
      if (outcome.ok) return outcome.value;
      const error = outcome.error;
      if (!(error instanceof TaskadeError)) throw error;

      if (error.code === 'RATE_LIMITED') {
        this.#rateLimited++;
        this.#budget.noteRateLimited();
        this.pauseFor(error.retryAfterMs ?? this.#defaultRetryAfterMs);
        if (rateLimitRetries >= this.#maxRateLimitRetries) throw error;
        rateLimitRetries++;
        this.#retried++;
        continue;
      }
      const unknownOutcome = error.code === 'SERVER' || error.code === 'NETWORK' || error.code === 'TIMEOUT';
      if (!unknownOutcome || !request.idempotent || retries >= this.#maxRetries) throw error;
      const backoff = fullJitterDelay(retries, this.#baseBackoffMs, this.#maxBackoffMs, this.#random);
      await this.clock.sleep(Math.max(backoff, Math.min(error.retryAfterMs ?? 0, this.#maxPauseMs)), signal);
      retries++;
      this.#retried++;
    }
  }

  /**
   * One p-queue job per send: wait for a free connection, then for the budget. The dispatch queue
   * runs one job at a time, so priority decides who gets the next slot.
   */
  #acquireSendSlot(priority: Priority, signal: AbortSignal): Promise<void> {
    return this.#dispatch.add(
      async () => {
        await this.#waitForConnection(signal);
        try {
          await this.#budget.acquire(signal);
        } catch (error) {
          this.#releaseSlot();
          throw error;
        }
      },
      { priority: PRIORITY_RANK[priority], signal },
    );
  }

  async #waitForConnection(signal: AbortSignal): Promise<void> {
    while (this.#inFlight >= this.#concurrency) {
      signal.throwIfAborted();
      await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
    }
    signal.throwIfAborted();
    this.#inFlight++;
  }

  #releaseSlot(): void {
    this.#inFlight--;
    this.#slotWaiters.shift()?.();
  }
}

/** Every waiting request listens on this signal: many listeners are expected, not a leak. */
function newClearController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`Expected \`options.${name}\` to be a positive number, got \`${String(value)}\``);
  }
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`Expected \`options.${name}\` to be a non-negative integer, got \`${String(value)}\``);
  }
  return value;
}
