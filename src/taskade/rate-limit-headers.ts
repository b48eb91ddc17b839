/**
 * Reading the server's rate-limit hints. None of these headers is in the spec; the docs say
 * "respect Retry-After" and some responses may carry `X-RateLimit-*` (DESIGN §1).
 */

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Null when absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP-date names a weekday and a month; anything else Date.parse accepts ("-5") is not one.
  if (!/[a-z]{3}/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

export interface RateLimitHint {
  limit: number | null;
  remaining: number | null;
  /** Milliseconds from now until the window resets. */
  resetInMs: number | null;
}

/**
 * `X-RateLimit-Reset` is written two ways in the wild: epoch seconds (GitHub) or seconds until
 * the reset (the IETF RateLimit draft). A value above 10^9 can only be an epoch time.
 */
export function parseRateLimitHeaders(headers: Record<string, string | undefined>, nowMs: number): RateLimitHint {
  const limit = nonNegativeNumber(headers['x-ratelimit-limit']);
  const remaining = nonNegativeNumber(headers['x-ratelimit-remaining']);
  const reset = nonNegativeNumber(headers['x-ratelimit-reset']);
  let resetInMs: number | null = null;
  if (reset !== null) resetInMs = reset > 1e9 ? Math.max(0, reset * 1000 - nowMs) : Math.round(reset * 1000);
  return { limit, remaining, resetInMs };
}

function nonNegativeNumber(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
}
