import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/model/clock.js';
import { TaskadeError, type TaskadeErrorCode } from '../../src/taskade/errors.js';
import { RequestQueue, watchSends, type Priority } from '../../src/taskade/request-queue.js';
import { fcParams } from '../support/fc.js';

function failure(code: TaskadeErrorCode, extra: { status?: number; retryAfterMs?: number } = {}): TaskadeError {
  return new TaskadeError({ code, method: 'GET', route: 'GET /projects/{projectId}/tasks', ...extra });
}

/** An attempt that records the virtual time of every send and fails with the scripted errors first. */
function scripted<T>(clock: VirtualClock, value: T, failures: TaskadeError[] = []) {
  const sentAt: number[] = [];
  const attempt = async (): Promise<T> => {
    sentAt.push(clock.now());
    const next = failures.shift();
    if (next) throw next;
    return value;
  };
  return { sentAt, attempt };
}

function sendWindowsRespected(sentAt: number[], perMinute: number): boolean {
  const sorted = [...sentAt].sort((a, b) => a - b);
  for (let i = perMinute; i < sorted.length; i++) {
    if ((sorted[i] as number) - (sorted[i - perMinute] as number) < 60_000) return false;
  }
  return true;
}

describe('RequestQueue budget', () => {
  it('sends 500 queued requests at 100 per minute in five one-minute waves, never more', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 100, concurrency: 8 });
    const sentAt: number[] = [];
    const all = Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        queue.run({
          priority: 'read',
          idempotent: true,
          attempt: async () => {
            sentAt.push(clock.now());
            await clock.sleep(250); // the request takes a quarter second of virtual time
            return i;
          },
        }),
      ),
    );
    const results = await clock.runUntil(all);
    expect(results).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(sentAt).toHaveLength(500);
    expect(sendWindowsRespected(sentAt, 100)).toBe(true);
    // Sliding window: a wave starts exactly when the first send of the previous wave leaves it.
    expect(new Set(sentAt.map((t) => Math.floor(t / 60_000)))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(Math.max(...sentAt)).toBeLessThan(5 * 60_000);
    expect(queue.stats()).toMatchObject({ sent: 500, retried: 0, rateLimited: 0, budgetPerMinute: 100 });
  });

  it('never exceeds N sends in any rolling minute, whatever the budget, load and request durations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ delay: fc.nat(5_000), duration: fc.nat(3_000) }), { minLength: 1, maxLength: 80 }),
        async (perMinute, concurrency, requests) => {
          const clock = new VirtualClock();
          const queue = new RequestQueue({ clock, requestsPerMinute: perMinute, concurrency });
          const sentAt: number[] = [];
          let inFlight = 0;
          let maxInFlight = 0;
          const all = Promise.all(
            requests.map(async ({ delay, duration }) => {
              await clock.sleep(delay);
              return queue.run({
                priority: 'read',
                idempotent: true,
                attempt: async () => {
                  sentAt.push(clock.now());
                  maxInFlight = Math.max(maxInFlight, ++inFlight);
                  await clock.sleep(duration);
                  inFlight--;
                },
              });
            }),
          );
          await clock.runUntil(all);
          expect(sentAt).toHaveLength(requests.length);
          expect(sendWindowsRespected(sentAt, perMinute)).toBe(true);
          expect(maxInFlight).toBeLessThanOrEqual(concurrency);
        },
      ),
      fcParams(60),
    );
  });
});

describe('RequestQueue priorities', () => {
  it('sends writes before reads before background reads, whatever the order they were queued in', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 1000, concurrency: 1 });
    queue.pause();
    const order: string[] = [];
    const queued: Array<[Priority, string]> = [
      ['background', 'poll-a'],
      ['read', 'read-a'],
      ['write', 'write-a'],
      ['background', 'poll-b'],
      ['write', 'write-b'],
      ['read', 'read-b'],
    ];
    const all = Promise.all(
      queued.map(([priority, name]) =>
        queue.run({ priority, idempotent: true, attempt: async () => void order.push(name) }),
      ),
    );
    queue.resume();
    await clock.runUntil(all);
    expect(order).toEqual(['write-a', 'write-b', 'read-a', 'read-b', 'poll-a', 'poll-b']);
  });

  it('lets a write queued during a budget wait go before the background reads queued earlier', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 1, concurrency: 1 });
    const order: string[] = [];
    const run = (priority: Priority, name: string) =>
      queue.run({ priority, idempotent: true, attempt: async () => void order.push(name) });
    const first = run('background', 'poll-1');
    const rest = [run('background', 'poll-2'), run('background', 'poll-3')];
    await clock.runUntil(first);
    await clock.advance(1_000);
    rest.push(run('write', 'write'));
    await clock.runUntil(Promise.all(rest));
    // poll-2 already holds the send slot (waiting for the budget) when the write arrives.
    expect(order).toEqual(['poll-1', 'poll-2', 'write', 'poll-3']);
  });
});

describe('RequestQueue on 429', () => {
  it('pauses every request for Retry-After, then resumes and re-sends the refused one', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 600 });
    const refused = scripted(clock, 'A', [failure('RATE_LIMITED', { status: 429, retryAfterMs: 10_000 })]);
    const a = queue.run({ priority: 'write', idempotent: true, attempt: refused.attempt });
    await clock.advance(0);
    const other = scripted(clock, 'B');
    const b = queue.run({ priority: 'read', idempotent: true, attempt: other.attempt });
    expect(await clock.runUntil(Promise.all([a, b]))).toEqual(['A', 'B']);
    expect(refused.sentAt).toEqual([0, 10_000]);
    expect(other.sentAt).toEqual([10_000]);
    expect(queue.stats()).toMatchObject({ sent: 3, retried: 1, rateLimited: 1, pausedMs: 10_000 });
  });

  it('pauses for the default backoff when the 429 carries no Retry-After', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, defaultRetryAfterMs: 7_000 });
    const refused = scripted(clock, 'ok', [failure('RATE_LIMITED', { status: 429 })]);
    await clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: refused.attempt }));
    expect(refused.sentAt).toEqual([0, 7_000]);
  });

  it('re-sends a create after a 429, because a 429 means the server did not apply it', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock });
    const create = scripted(clock, 'created', [failure('RATE_LIMITED', { status: 429, retryAfterMs: 1_000 })]);
    await expect(
      clock.runUntil(queue.run({ priority: 'write', idempotent: false, attempt: create.attempt })),
    ).resolves.toBe('created');
    expect(create.sentAt).toEqual([0, 1_000]);
  });

  it('gives up with RATE_LIMITED after maxRateLimitRetries re-sends', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, maxRateLimitRetries: 2 });
    const failures = Array.from({ length: 5 }, () => failure('RATE_LIMITED', { status: 429, retryAfterMs: 1_000 }));
    const refused = scripted(clock, 'never', failures);
    await expect(
      clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: refused.attempt })),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.sentAt).toHaveLength(3);
  });

  it('never lowers the rate below the floor of a tenth of the budget', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 60, maxRateLimitRetries: 20 });
    const failures = Array.from({ length: 20 }, () => failure('RATE_LIMITED', { status: 429, retryAfterMs: 100 }));
    const refused = scripted(clock, 'ok', failures);
    await clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: refused.attempt }));
    expect(queue.stats().currentRatePerMinute).toBe(6);
  });

  it('caps a pause at maxPauseMs', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, maxPauseMs: 60_000 });
    const refused = scripted(clock, 'ok', [failure('RATE_LIMITED', { status: 429, retryAfterMs: 86_400_000 })]);
    await clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: refused.attempt }));
    expect(refused.sentAt).toEqual([0, 60_000]);
  });

  it('holds sends for pauseFor (an exhausted X-RateLimit window)', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock });
    queue.pauseFor(4_000);
    const later = scripted(clock, 'ok');
    await clock.runUntil(queue.run({ priority: 'write', idempotent: false, attempt: later.attempt }));
    expect(later.sentAt).toEqual([4_000]);
    expect(queue.stats().pausedMs).toBe(4_000);
  });
});

describe('RequestQueue retries', () => {
  it.each(['VALIDATION', 'NOT_FOUND', 'AUTH'] as const)('never retries %s', async (code) => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock });
    const refused = scripted(clock, 'never', [failure(code, { status: 400 })]);
    await expect(
      clock.runUntil(queue.run({ priority: 'write', idempotent: true, attempt: refused.attempt })),
    ).rejects.toMatchObject({
      code,
    });
    expect(refused.sentAt).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ sent: 1, retried: 0 });
  });

  it('retries an idempotent request after a 503 with full-jitter backoff, then succeeds', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, baseBackoffMs: 1_000, random: () => 0.5 });
    const flaky = scripted(clock, 'done', [failure('SERVER', { status: 503 }), failure('NETWORK'), failure('TIMEOUT')]);
    await expect(
      clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: flaky.attempt })),
    ).resolves.toBe('done');
    // Delays are random()·base·2^n: 500, 1000, 2000.
    expect(flaky.sentAt).toEqual([0, 500, 1_500, 3_500]);
    expect(queue.stats()).toMatchObject({ sent: 4, retried: 3 });
  });

  it('waits at least the Retry-After of a 503', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, baseBackoffMs: 100, random: () => 0 });
    const flaky = scripted(clock, 'done', [failure('SERVER', { status: 503, retryAfterMs: 3_000 })]);
    await clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: flaky.attempt }));
    expect(flaky.sentAt).toEqual([0, 3_000]);
  });

  it('stops after maxRetries and rejects with the last error', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, maxRetries: 2 });
    const down = scripted(
      clock,
      'never',
      Array.from({ length: 10 }, () => failure('SERVER', { status: 500 })),
    );
    await expect(
      clock.runUntil(queue.run({ priority: 'read', idempotent: true, attempt: down.attempt })),
    ).rejects.toMatchObject({
      code: 'SERVER',
    });
    expect(down.sentAt).toHaveLength(3);
  });

  it.each(['SERVER', 'NETWORK', 'TIMEOUT'] as const)('sends a non-idempotent request once on %s', async (code) => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock });
    const create = scripted(clock, 'never', [failure(code)]);
    await expect(
      clock.runUntil(queue.run({ priority: 'write', idempotent: false, attempt: create.attempt })),
    ).rejects.toMatchObject({
      code,
    });
    expect(create.sentAt).toHaveLength(1);
  });

  it('passes through errors that are not TaskadeErrors without retrying', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock });
    let calls = 0;
    const broken = queue.run({
      priority: 'read',
      idempotent: true,
      attempt: async () => {
        calls++;
        throw new RangeError('bug');
      },
    });
    await expect(clock.runUntil(broken)).rejects.toBeInstanceOf(RangeError);
    expect(calls).toBe(1);
  });
});

describe('RequestQueue lifecycle', () => {
  it('clear() rejects requests that were not sent and onIdle() resolves afterwards', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 1, concurrency: 1 });
    const sent: number[] = [];
    const runs = Array.from({ length: 3 }, (_, i) =>
      queue.run({ priority: 'read', idempotent: true, attempt: async () => void sent.push(i) }),
    );
    const settled = Promise.allSettled(runs);
    await clock.advance(0);
    queue.clear();
    const results = await clock.runUntil(settled);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(sent).toEqual([0]);
    await expect(queue.onIdle()).resolves.toBeUndefined();
  });

  it('tells a request that was never sent from one aborted on the wire (status counts only the sent)', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 1, concurrency: 1 });
    const controller = new AbortController();
    const onWire = { sent: false };
    const waiting = { sent: false };
    const first = watchSends(onWire, () =>
      queue.run({
        priority: 'read',
        idempotent: true,
        signal: controller.signal,
        attempt: () =>
          new Promise((_, reject) =>
            controller.signal.addEventListener('abort', () => reject(controller.signal.reason)),
          ),
      }),
    );
    const second = watchSends(waiting, () =>
      queue.run({ priority: 'read', idempotent: true, signal: controller.signal, attempt: async () => 1 }),
    );
    await clock.advance(0);
    controller.abort();
    const settled = await Promise.allSettled([first, second]);
    // Both reject with the caller's own reason; only the first went out.
    expect(settled.map((r) => r.status === 'rejected' && r.reason === controller.signal.reason)).toEqual([true, true]);
    expect([onWire.sent, waiting.sent]).toEqual([true, false]);
    expect(queue.stats().sent).toBe(1);
  });

  it('a caller abort removes its request without touching the others', async () => {
    const clock = new VirtualClock();
    const queue = new RequestQueue({ clock, requestsPerMinute: 1, concurrency: 1 });
    const controller = new AbortController();
    const sent: string[] = [];
    const first = queue.run({ priority: 'read', idempotent: true, attempt: async () => void sent.push('first') });
    const aborted = queue.run({
      priority: 'read',
      idempotent: true,
      signal: controller.signal,
      attempt: async () => void sent.push('aborted'),
    });
    const last = queue.run({ priority: 'read', idempotent: true, attempt: async () => void sent.push('last') });
    await clock.advance(0);
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await clock.runUntil(Promise.all([first, last]));
    expect(sent).toEqual(['first', 'last']);
  });

  it('refuses nonsense options with a TypeError naming the option and value', () => {
    expect(() => new RequestQueue({ requestsPerMinute: 0 })).toThrow(/`options.requestsPerMinute`.*`0`/);
    expect(() => new RequestQueue({ maxRetries: -1 })).toThrow(TypeError);
    expect(() => new RequestQueue({ concurrency: 0 })).toThrow(/concurrency/);
  });
});
