import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/index.js';
import { RateLimiter } from '../../src/simulator/rate-limit.js';
import { VirtualClock } from '../../src/model/clock.js';
import { TaskadeError } from '../../src/taskade/errors.js';
import { queueFromMemory, rememberRate, tokenKey } from '../../src/taskade/rate-memory.js';
import { RequestQueue } from '../../src/taskade/request-queue.js';

const MINUTE = 60_000;

function rateLimited(retryAfterMs: number): TaskadeError {
  return new TaskadeError({
    code: 'RATE_LIMITED',
    status: 429,
    method: 'GET',
    route: 'GET /projects/{projectId}/tasks',
    retryAfterMs,
  });
}

/**
 * Bulk work against the simulator's hidden per-token limit (a fixed window, no X-RateLimit-*
 * headers, Retry-After on a 429), on the virtual clock: `workers` callers keep the queue busy
 * for `minutes`; each request takes 50 ms.
 */
async function bulk(o: { limit: number; queue: RequestQueue; clock: VirtualClock; minutes: number }) {
  const { clock, queue } = o;
  const server = new RateLimiter({ requests: o.limit, windowMs: MINUTE, hidden: true }, () => clock.now());
  const passed: number[] = [];
  const refused: number[] = [];
  const end = clock.now() + o.minutes * MINUTE;
  const worker = async (): Promise<void> => {
    while (clock.now() < end) {
      await queue.run({
        priority: 'read',
        idempotent: true,
        attempt: async () => {
          await clock.sleep(50);
          const decision = server.take('token');
          if (decision === null || !decision.allowed) {
            refused.push(clock.now());
            throw rateLimited((decision?.retryAfterSeconds ?? 1) * 1000);
          }
          passed.push(clock.now());
        },
      });
    }
  };
  await clock.runUntil(Promise.all([worker(), worker(), worker(), worker()]));
  const perWindow = new Map<number, number>();
  for (const t of refused) perWindow.set(Math.floor(t / MINUTE), (perWindow.get(Math.floor(t / MINUTE)) ?? 0) + 1);
  return { passed: passed.length, refused: refused.length, perWindow, share: passed.length / (o.limit * o.minutes) };
}

describe('the rate finds a hidden limit (additive increase, multiplicative decrease)', () => {
  it('a 429 lowers the rate at once to 90 % of what passed in the last minute', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 60, maxRequestsPerMinute: 600 });
    let answered = 0;
    const attempt = async (): Promise<void> => {
      answered++;
      if (answered === 51) throw rateLimited(5_000);
    };
    await clock.runUntil(
      Promise.all(Array.from({ length: 50 }, () => queue.run({ priority: 'read', idempotent: true, attempt }))),
    );
    expect(queue.stats()).toMatchObject({ sent: 50, currentRatePerMinute: 60, limitedAtPerMinute: null });
    await clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt }));
    expect(queue.stats()).toMatchObject({
      sent: 52,
      rateLimited: 1,
      currentRatePerMinute: 45, // ⌊0.9 × 50⌋
      limitedAtPerMinute: 60,
    });
  });

  it('a 429 never takes more than half the rate in one step, nor goes below the floor', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 60, maxRequestsPerMinute: 600, maxRateLimitRetries: 9 });
    const failures = Array.from({ length: 3 }, () => rateLimited(100));
    await clock.runUntil(
      queue.run({
        priority: 'read',
        idempotent: true,
        attempt: async () => {
          const next = failures.shift();
          if (next) throw next;
        },
      }),
    );
    // Nothing passed before the 429s: 60 → ⌊0.9·30⌋ = 27 → ⌊0.9·13.5⌋ = 12 → floor 6.
    expect(queue.stats()).toMatchObject({ sent: 4, rateLimited: 3, currentRatePerMinute: 6 });
  });

  it('rises by a tenth of the budget for each minute the rate held requests back, up to the maximum', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 60, maxRequestsPerMinute: 80, concurrency: 1 });
    const sentAt: number[] = [];
    await clock.runUntil(
      Promise.all(
        Array.from({ length: 400 }, () =>
          queue.run({ priority: 'read', idempotent: true, attempt: async () => void sentAt.push(clock.now()) }),
        ),
      ),
    );
    const perMinute = [0, 1, 2, 3, 4].map((m) => sentAt.filter((t) => Math.floor(t / MINUTE) === m).length);
    // Paced at 60 (4 at once, then one a second), then 66, 72, 78, then capped at 80.
    expect(perMinute).toEqual([60, 66, 72, 78, 80]);
    expect(queue.stats().currentRatePerMinute).toBe(80);
  });

  it('does not rise while the rate holds nothing back (a quiet daemon stays at its budget)', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 60, maxRequestsPerMinute: 600 });
    for (let minute = 0; minute < 30; minute++) {
      await clock.runUntil(
        Promise.all(
          Array.from({ length: 3 }, () =>
            queue.run({ priority: 'background', idempotent: true, attempt: async () => {} }),
          ),
        ),
      );
      await clock.advance(MINUTE);
    }
    expect(queue.stats()).toMatchObject({ sent: 90, currentRatePerMinute: 60 });
  });

  it('below the budget: uses ≥ 90 % of a hidden limit of 40/min, at most one 429 a window after the first', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({
      clock,
      requestsPerMinute: 60,
      maxRequestsPerMinute: 600,
      maxRateLimitRetries: 100,
    });
    const r = await bulk({ limit: 40, queue, clock, minutes: 30 });
    expect([...r.perWindow.entries()].filter(([window, n]) => window > 0 && n > 1)).toEqual([]);
    expect({ passed: r.passed, refused: r.refused }).toEqual({ passed: 1127, refused: 19 });
    expect(r.share).toBeGreaterThanOrEqual(0.9);
  });

  it('above the budget: climbs to a hidden limit of 100/min, and a run that starts from the learned rate uses ≥ 90 %', async () => {
    const clock = new VirtualClock();
    const journal = Journal.openInMemory();
    const token = 'secret-token-value';
    const first = queueFromMemory({
      requestsPerMinute: 60,
      token,
      store: journal,
      queue: { clock, maxRateLimitRetries: 100 },
    });
    const cold = await bulk({ limit: 100, queue: first, clock, minutes: 30 });
    expect({ passed: cold.passed, refused: cold.refused }).toEqual({ passed: 2731, refused: 8 });
    expect(Math.min(...cold.perWindow.keys())).toBeGreaterThan(0); // the first 429 came after the climb
    expect([...cold.perWindow.values()].every((n) => n === 1)).toBe(true);
    rememberRate(first, journal, token, clock.now());
    expect(journal.getRateMemory(tokenKey(token))).toMatchObject({ budgetPerMinute: 60, ratePerMinute: 98 });

    const second = queueFromMemory({
      requestsPerMinute: 60,
      token,
      store: journal,
      queue: { clock, maxRateLimitRetries: 100 },
    });
    expect(second.stats().currentRatePerMinute).toBe(98);
    const warm = await bulk({ limit: 100, queue: second, clock, minutes: 30 });
    expect({ passed: warm.passed, refused: warm.refused }).toEqual({ passed: 2862, refused: 10 });
    expect([...warm.perWindow.values()].every((n) => n === 1)).toBe(true);
    expect(warm.share).toBeGreaterThanOrEqual(0.9);
    journal.close();
  });
});

describe('the learned rate in the journal', () => {
  it('is keyed by a hash of the token, never the token, and ignored under another budget', () => {
    const journal = Journal.openInMemory();
    const token = 'tk_live_do_not_store';
    const clock = new VirtualClock();
    const queue = queueFromMemory({ requestsPerMinute: 60, token, store: journal, queue: { clock } });
    rememberRate(queue, journal, token, 0);
    expect(journal.getRateMemory(tokenKey(token))).toBeNull(); // nothing sent, nothing learned
    journal.putRateMemory(tokenKey(token), {
      budgetPerMinute: 60,
      ratePerMinute: 42,
      limitedAtPerMinute: 47,
      updatedAt: 1,
    });
    expect(tokenKey(token)).toMatch(/^[0-9a-f]{32}$/);
    expect(tokenKey(token)).not.toContain(token);
    expect(tokenKey('another')).not.toBe(tokenKey(token));
    expect(queueFromMemory({ requestsPerMinute: 60, token, store: journal }).stats().currentRatePerMinute).toBe(42);
    expect(queueFromMemory({ requestsPerMinute: 120, token, store: journal }).stats().currentRatePerMinute).toBe(120);
    expect(queueFromMemory({ requestsPerMinute: 60, token: 'other', store: journal }).stats()).toMatchObject({
      currentRatePerMinute: 60,
      maxRatePerMinute: 600,
    });
    expect(
      queueFromMemory({ requestsPerMinute: 60, maxRequestsPerMinute: 60, token, store: journal }).stats(),
    ).toMatchObject({ currentRatePerMinute: 42, maxRatePerMinute: 60 });
    journal.close();
  });
});
