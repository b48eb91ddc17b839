/**
 * The poller's share of the request budget, as a token bucket over the injected clock.
 *
 * There is one request budget: `RequestBudget` (taskade/request-budget.ts), which the request queue
 * enforces for every send of a token (rolling minute, 429 pauses, adaptive rate). This is not a
 * second budget but a quota inside it: this bucket keeps the poller's
 * background reads to `share` of it so local writes always find room ("local writes go first").
 * Every request the daemon sends is charged — writes too — so a burst of writes pushes the
 * bucket below zero and the poller waits until the writes are paid for.
 */
export interface PollShareOptions {
  /** The whole budget (the config's `requestsPerMinute`). */
  requestsPerMinute: number;
  /** Share of it the poller may use. @default 0.5 */
  share?: number;
  /** Longest stretch of unused budget that may be saved up, in ms. @default 60000 */
  burstMs?: number;
  now: number;
}

export const DEFAULT_POLL_SHARE = 0.5;

export class PollShare {
  private tokens: number;
  private at: number;
  readonly perMinute: number;
  readonly capacity: number;

  constructor(o: PollShareOptions) {
    const share = o.share ?? DEFAULT_POLL_SHARE;
    if (!(o.requestsPerMinute > 0))
      throw new TypeError(
        `Unexpected value \`${o.requestsPerMinute}\` for \`requestsPerMinute\`, expected a number above 0`,
      );
    if (!(share > 0 && share <= 1))
      throw new TypeError(`Unexpected value \`${share}\` for \`share\`, expected a number in (0, 1]`);
    this.perMinute = o.requestsPerMinute * share;
    this.capacity = Math.max(1, (this.perMinute * (o.burstMs ?? 60_000)) / 60_000);
    // Start with one list read in hand: the first poll should not wait a whole refill.
    this.tokens = Math.min(this.capacity, Math.max(1, this.perMinute / 60));
    this.at = o.now;
  }

  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  charge(requests: number, now: number): void {
    this.refill(now);
    this.tokens -= requests;
  }

  /** Milliseconds until `tokens` are available (0 if they are). */
  waitFor(tokens: number, now: number): number {
    const have = this.available(now);
    if (have >= tokens) return 0;
    return Math.ceil(((tokens - have) * 60_000) / this.perMinute);
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.perMinute) / 60_000);
      this.at = now;
    }
  }
}
