import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../../src/taskade/backoff.js';
import { parseRateLimitHeaders, parseRetryAfter } from '../../src/taskade/rate-limit-headers.js';

const NOW = Date.parse('2026-08-01T12:00:00Z');

describe('Retry-After', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfter('Sat, 01 Aug 2026 12:00:45 GMT', NOW)).toBe(45_000);
    expect(parseRetryAfter('Sat, 01 Aug 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('gives null for a missing or unreadable value, so the queue uses its own backoff', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
  });
});

describe('X-RateLimit-*', () => {
  it('reads a reset given in seconds from now', () => {
    expect(
      parseRateLimitHeaders(
        { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' },
        NOW,
      ),
    ).toEqual({
      limit: 100,
      remaining: 0,
      resetInMs: 12_000,
    });
  });

  it('reads a reset given as epoch seconds', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-reset': String(NOW / 1000 + 20) }, NOW).resetInMs).toBe(20_000);
  });

  it('ignores absent and malformed headers', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': 'lots' }, NOW)).toEqual({
      limit: null,
      remaining: null,
      resetInMs: null,
    });
  });
});

describe('full-jitter backoff', () => {
  it('draws from [0, min(cap, base·2^attempt))', () => {
    expect(fullJitterDelay(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(fullJitterDelay(3, 500, 30_000, () => 0.5)).toBe(2_000);
    expect(fullJitterDelay(20, 500, 30_000, () => 0.5)).toBe(15_000);
    expect(fullJitterDelay(2, 500, 30_000, () => 0)).toBe(0);
  });
});
