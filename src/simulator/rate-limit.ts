/**
 * Per-token rate limit over a fixed window: the first request of a token opens a window of
 * `windowMs`; up to `requests` requests pass in it; the rest get 429 until it ends. Fixed rather
 * than sliding because it makes `X-RateLimit-Reset` exact and tests countable.
 */
export interface RateLimit {
  requests: number;
  windowMs: number;
  /**
   * A hidden limit, as Taskade's: no `X-RateLimit-*` headers, only `Retry-After` on a 429 (the
   * rate benchmark measures how close the client gets to a limit it is not told). @default false
   */
  hidden?: boolean;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the window ends (≥ 1), for `Retry-After` on a 429. */
  retryAfterSeconds: number;
  headers: Record<string, string>;
}

export function checkRateLimit(limit: unknown): RateLimit | null {
  if (limit === null) return null;
  const l = limit as Partial<RateLimit> | undefined;
  if (
    typeof l !== 'object' ||
    !Number.isInteger(l.requests) ||
    (l.requests as number) < 1 ||
    typeof l.windowMs !== 'number' ||
    l.windowMs <= 0
  ) {
    throw new TypeError(
      `Unexpected value \`${JSON.stringify(limit)}\` for \`rateLimit\`, expected null or { requests: whole number ≥ 1, windowMs: number > 0 }`,
    );
  }
  if (l.hidden !== undefined && typeof l.hidden !== 'boolean') {
    throw new TypeError(
      `Unexpected value \`${JSON.stringify(l.hidden)}\` for \`rateLimit.hidden\`, expected a boolean`,
    );
  }
  return { requests: l.requests as number, windowMs: l.windowMs, ...(l.hidden === true ? { hidden: true } : {}) };
}

export class RateLimiter {
  private limit: RateLimit | null = null;
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    limit: RateLimit | null,
    private readonly now: () => number,
  ) {
    this.set(limit);
  }

  get current(): RateLimit | null {
    return this.limit === null ? null : { ...this.limit };
  }

  set(limit: RateLimit | null): void {
    this.limit = checkRateLimit(limit);
    this.windows.clear();
  }

  /** Counts the request against the token's window; null when no limit is set. */
  take(token: string): RateDecision | null {
    if (this.limit === null) return null;
    const now = this.now();
    let window = this.windows.get(token);
    if (window === undefined || now >= window.start + this.limit.windowMs) {
      window = { start: now, used: 0 };
      this.windows.set(token, window);
    }
    const allowed = window.used < this.limit.requests;
    if (allowed) window.used++;
    const end = window.start + this.limit.windowMs;
    return {
      allowed,
      retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)),
      headers:
        this.limit.hidden === true
          ? {}
          : {
              'X-RateLimit-Limit': String(this.limit.requests),
              'X-RateLimit-Remaining': String(this.limit.requests - window.used),
              'X-RateLimit-Reset': String(Math.ceil(end / 1000)),
            },
    };
  }
}
