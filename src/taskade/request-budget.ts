/**
 * The per-token request budget: at most `currentRate` sends in any rolling minute, plus a pause
 * that a 429 or an exhausted `X-RateLimit-Remaining` imposes on every request.
 *
 * The rate adapts like TCP congestion control (additive increase, multiplicative decrease, RFC
 * 5681): repeated 429s halve it down to a floor; every quiet minute without a 429 gives back a
 * tenth of the configured budget. Everything is computed from the injected clock.
 */
import type { Clock } from './clock.js';

const WINDOW_MS = 60_000;

export interface RequestBudgetOptions {
  requestsPerMinute: number;
  clock: Clock;
  /** The rate never drops below this. @default max(1, requestsPerMinute / 10) */
  minRatePerMinute?: number;
  /** This many 429s within a minute lower the rate. @default 2 */
  rateLimitedBeforeLowering?: number;
}

export class RequestBudget {
  readonly budgetPerMinute: number;
  readonly #clock: Clock;
  readonly #floor: number;
  readonly #threshold: number;
  #current: number;
  /** Send times inside the rolling window, oldest first. */
  #sent: number[] = [];
  #rateLimitedAt: number[] = [];
  /** When the rate last changed (lowered or recovered); recovery counts quiet minutes from here. */
  #lastRateChange = -Infinity;
  #pausedUntil = -Infinity;
  #pausedMs = 0;

  constructor(options: RequestBudgetOptions) {
    this.budgetPerMinute = options.requestsPerMinute;
    this.#clock = options.clock;
    this.#floor = options.minRatePerMinute ?? Math.max(1, Math.floor(options.requestsPerMinute / 10));
    this.#threshold = options.rateLimitedBeforeLowering ?? 2;
    this.#current = options.requestsPerMinute;
  }

  get currentRatePerMinute(): number {
    this.#recover();
    return this.#current;
  }

  get pausedMs(): number {
    return this.#pausedMs;
  }

  /** Waits until a send is allowed, then records it. Concurrent callers are served one by one. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      this.#recover();
      while (this.#sent.length > 0 && (this.#sent[0] as number) <= now - WINDOW_MS) this.#sent.shift();
      let waitMs = Math.max(0, this.#pausedUntil - now);
      if (this.#sent.length >= this.#current) {
        const freesAt = (this.#sent[this.#sent.length - this.#current] as number) + WINDOW_MS;
        waitMs = Math.max(waitMs, freesAt - now);
      }
      if (waitMs <= 0) {
        this.#sent.push(now);
        return;
      }
      await this.#clock.sleep(waitMs, signal);
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

  /** Records a 429; the second within a minute halves the rate (down to the floor). */
  noteRateLimited(): void {
    const now = this.#clock.now();
    this.#rateLimitedAt = this.#rateLimitedAt.filter((t) => t > now - WINDOW_MS);
    this.#rateLimitedAt.push(now);
    if (this.#rateLimitedAt.length >= this.#threshold) {
      this.#current = Math.max(this.#floor, Math.floor(this.#current / 2));
      this.#rateLimitedAt = [];
      this.#lastRateChange = now;
    }
  }

  #recover(): void {
    if (this.#current >= this.budgetPerMinute) return;
    const now = this.#clock.now();
    const lastTrouble = Math.max(this.#lastRateChange, this.#rateLimitedAt.at(-1) ?? -Infinity);
    const quietMinutes = Math.floor((now - lastTrouble) / WINDOW_MS);
    if (quietMinutes < 1) return;
    const step = Math.max(1, Math.ceil(this.budgetPerMinute / 10));
    this.#current = Math.min(this.budgetPerMinute, this.#current + step * quietMinutes);
    this.#lastRateChange = lastTrouble + quietMinutes * WINDOW_MS;
  }
}
