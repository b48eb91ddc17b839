/**
 * The per-token request budget: at most `currentRate` sends in any rolling minute, paced evenly
 * (a token bucket of `burst` sends refilled at the current rate), plus a pause that a 429 or an
 * exhausted `X-RateLimit-Remaining` imposes on every request.
 *
 * Taskade publishes no number, so the rate finds the limit like TCP congestion control
 * (additive increase, multiplicative decrease, RFC 5681 §3.1):
 * - it starts at the configured budget (or at what an earlier run learned for the same token);
 * - every full minute in which the rate was what held requests back, and no 429 came, it rises by
 *   a tenth of the configured budget, up to `maxRatePerMinute`;
 * - a 429 lowers it at once to 90 % of what actually passed in the last minute (never below half
 *   of the current rate in one step, never below the floor). Even pacing means one request is in
 *   flight when the limit is reached, so after the first window there is at most one 429 a window.
 * Everything is computed from the injected clock.
 */
import type { Clock } from '../model/clock.js';

const WINDOW_MS = 60_000;
/** Share of the rate that passed which a 429 keeps (TCP Reno keeps 1/2, CUBIC 0.7). */
const DECREASE = 0.9;

export interface RequestBudgetOptions {
  /** The configured budget: the starting rate, and the unit of the additive increase. */
  requestsPerMinute: number;
  clock: Clock;
  /** Where to start instead (what an earlier run learned); clamped to [floor, max]. @default requestsPerMinute */
  startRatePerMinute?: number;
  /** The increase stops here. @default requestsPerMinute (a fixed rate) */
  maxRatePerMinute?: number;
  /** The rate never drops below this. @default max(1, requestsPerMinute / 10) */
  minRatePerMinute?: number;
  /** Sends allowed at once after a quiet spell (the token bucket's size). @default 4 */
  burst?: number;
}

export class RequestBudget {
  readonly budgetPerMinute: number;
  readonly maxRatePerMinute: number;
  readonly #clock: Clock;
  readonly #floor: number;
  readonly #step: number;
  readonly #burst: number;
  #current: number;
  /** Send times inside the rolling window, oldest first. */
  #sent: number[] = [];
  /** 429 times inside the rolling window. */
  #refusedAt: number[] = [];
  /** Token bucket for even pacing. */
  #tokens: number;
  #tokensAt: number;
  /** Start of the minute the increase is judged over. */
  #periodStart: number;
  /** Whether a send waited for the rate (not for a pause) during the current period. */
  #heldBack = false;
  /** The rate at which the last 429 came (null: none seen). */
  #limitedAt: number | null = null;
  #pausedUntil = -Infinity;
  #pausedMs = 0;

  constructor(options: RequestBudgetOptions) {
    this.budgetPerMinute = options.requestsPerMinute;
    this.#clock = options.clock;
    this.maxRatePerMinute = Math.max(options.requestsPerMinute, options.maxRatePerMinute ?? options.requestsPerMinute);
    this.#floor = Math.min(
      this.maxRatePerMinute,
      options.minRatePerMinute ?? Math.max(1, Math.floor(options.requestsPerMinute / 10)),
    );
    this.#step = Math.max(1, Math.ceil(options.requestsPerMinute / 10));
    this.#burst = Math.max(1, options.burst ?? 4);
    const start = options.startRatePerMinute ?? options.requestsPerMinute;
    this.#current = Math.min(this.maxRatePerMinute, Math.max(this.#floor, Math.floor(start)));
    this.#tokens = this.#burst;
    this.#tokensAt = this.#clock.now();
    this.#periodStart = this.#clock.now();
  }

  get currentRatePerMinute(): number {
    this.#adapt(this.#clock.now());
    return this.#current;
  }

  /** The rate at which the last 429 came, or null when none was seen. */
  get limitedAtPerMinute(): number | null {
    return this.#limitedAt;
  }

  get pausedMs(): number {
    return this.#pausedMs;
  }

  /** Waits until a send is allowed, then records it. Concurrent callers are served one by one. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      this.#adapt(now);
      this.#refill(now);
      while (this.#sent.length > 0 && (this.#sent[0] as number) <= now - WINDOW_MS) this.#sent.shift();
      const pauseMs = Math.max(0, this.#pausedUntil - now);
      let rateMs = 0;
      if (this.#sent.length >= this.#current) {
        const freesAt = (this.#sent[this.#sent.length - this.#current] as number) + WINDOW_MS;
        rateMs = Math.max(rateMs, freesAt - now);
      }
      if (this.#tokens < 1) rateMs = Math.max(rateMs, Math.ceil(((1 - this.#tokens) * WINDOW_MS) / this.#current));
      if (pauseMs <= 0 && rateMs <= 0) {
        this.#sent.push(now);
        this.#tokens -= 1;
        return;
      }
      if (rateMs > pauseMs) this.#heldBack = true;
      await this.#clock.sleep(Math.max(pauseMs, rateMs), signal);
    }
  }

  /** Holds every send for `ms` from now (extends, never shortens, a pause already running). */
  pauseFor(ms: number): void {
    const now = this.#clock.now();
    const until = now + Math.max(0, ms);
    if (until <= this.#pausedUntil) return;
    this.#pausedMs += until - Math.max(now, this.#pausedUntil);
    this.#pausedUntil = until;
  }

  /** Records a 429: the rate drops at once to 90 % of what passed in the last minute. */
  noteRateLimited(): void {
    const now = this.#clock.now();
    this.#adapt(now);
    this.#refusedAt = this.#refusedAt.filter((t) => t > now - WINDOW_MS);
    while (this.#sent.length > 0 && (this.#sent[0] as number) <= now - WINDOW_MS) this.#sent.shift();
    const passed = Math.max(0, this.#sent.length - this.#refusedAt.length - 1);
    this.#refusedAt.push(now);
    this.#limitedAt = this.#current;
    const base = Math.min(this.#current, Math.max(passed, this.#current / 2));
    this.#current = Math.max(this.#floor, Math.floor(base * DECREASE));
    this.#periodStart = now;
    this.#heldBack = false;
  }

  /** Additive increase: one step per full minute that the rate held back and no 429 came. */
  #adapt(now: number): void {
    if (now - this.#periodStart < WINDOW_MS) return;
    const periods = Math.floor((now - this.#periodStart) / WINDOW_MS);
    if (this.#heldBack) this.#current = Math.min(this.maxRatePerMinute, this.#current + this.#step);
    this.#heldBack = false;
    this.#periodStart += periods * WINDOW_MS;
  }

  #refill(now: number): void {
    const elapsed = now - this.#tokensAt;
    if (elapsed <= 0) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#current) / WINDOW_MS);
    this.#tokensAt = now;
  }
}
