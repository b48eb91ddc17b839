import { describe, expect, it } from 'vitest';
import { startCheckedSimulator, useCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';
import { api, outline } from './api.js';

const create = (content: string): unknown => ({
  tasks: [{ contentType: 'text/plain', content, placement: 'beforeend' }],
});
const CREATE = '/projects/{projectId}/tasks/';

function seed(s: CheckedSimulator): string {
  return s.seedProject({ name: 'F', tasks: [{ text: 'a' }] }).projectId;
}

describe('the per-token rate limit', () => {
  it('lets `requests` through per window, then answers 429 with Retry-After and X-RateLimit-* headers', async () => {
    let now = 1_000_000;
    const s = await startCheckedSimulator({ rateLimit: { requests: 3, windowMs: 60_000 }, now: () => now });
    try {
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api(s, 'GET', '/workspaces');
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit')).toBe('3');
        expect(res.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((1_000_000 + 60_000) / 1000)));
        remaining.push(res.headers.get('x-ratelimit-remaining'));
      }
      expect(remaining).toEqual(['2', '1', '0']);
      now += 15_000;
      const limited = await api(s, 'GET', '/workspaces');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('45');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.body).toMatchObject({ ok: false, code: 'TOO_MANY_REQUESTS', statusMessage: 'Too Many Requests' });
      now += 45_000; // the window is over
      expect((await api(s, 'GET', '/workspaces')).status).toBe(200);
      expect(s.stats()).toMatchObject({ total: 5, rateLimited: 1 });
    } finally {
      await s.close();
    }
  });

  it('a hidden limit sends no X-RateLimit-* headers, only Retry-After on the 429', async () => {
    let now = 0;
    const s = await startCheckedSimulator({
      rateLimit: { requests: 2, windowMs: 60_000, hidden: true },
      now: () => now,
    });
    try {
      const ok = await api(s, 'GET', '/workspaces');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBeNull();
      expect(ok.headers.get('x-ratelimit-remaining')).toBeNull();
      expect((await api(s, 'GET', '/workspaces')).status).toBe(200);
      now += 20_000;
      const limited = await api(s, 'GET', '/workspaces');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(limited.headers.get('x-ratelimit-reset')).toBeNull();
      expect(() => s.setRateLimit({ requests: 2, windowMs: 1, hidden: 'yes' } as never)).toThrow(/rateLimit.hidden/);
    } finally {
      await s.close();
    }
  });

  it('counts each token on its own, and is off (no headers) after setRateLimit(null)', async () => {
    const s = await startCheckedSimulator({
      tokens: ['t1', 't2'],
      rateLimit: { requests: 1, windowMs: 60_000 },
      now: () => 0,
    });
    try {
      expect((await api(s, 'GET', '/workspaces', undefined, { token: 't1' })).status).toBe(200);
      expect((await api(s, 'GET', '/workspaces', undefined, { token: 't1' })).status).toBe(429);
      expect((await api(s, 'GET', '/workspaces', undefined, { token: 't2' })).status).toBe(200);
      s.setRateLimit(null);
      const free = await api(s, 'GET', '/workspaces', undefined, { token: 't1' });
      expect(free.status).toBe(200);
      expect(free.headers.get('x-ratelimit-limit')).toBeNull();
    } finally {
      await s.close();
    }
  });
});

describe('fault injection', () => {
  const sim = useCheckedSimulator();

  it.each([
    ['status500', 500, 'INTERNAL_SERVER_ERROR'],
    ['status503', 503, 'SERVICE_UNAVAILABLE'],
  ] as const)(
    '%s answers %d with the Error body for the next `count` matching requests, applying nothing',
    async (kind, status, code) => {
      const s = sim();
      const projectId = seed(s);
      s.setFaults([{ kind, method: 'POST', route: CREATE, count: 2 }]);
      expect((await api(s, 'GET', `/projects/${projectId}/tasks`)).status).toBe(200); // GET does not match
      for (const text of ['x', 'y']) {
        const res = await api(s, 'POST', `/projects/${projectId}/tasks`, create(text));
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ ok: false, code });
      }
      expect((await api(s, 'POST', `/projects/${projectId}/tasks/`, create('z'))).status).toBe(200);
      expect(await outline(s, projectId)).toBe('a\nz');
      expect(s.stats().faults).toBe(2);
    },
  );

  it('drop destroys the connection without applying the request', async () => {
    const s = sim();
    const projectId = seed(s);
    s.setFaults([{ kind: 'drop', route: CREATE, count: 1 }]);
    await expect(api(s, 'POST', `/projects/${projectId}/tasks/`, create('lost'))).rejects.toThrow();
    expect(await outline(s, projectId)).toBe('a');
  });

  it('applyThenDrop applies the request, then drops the connection: a blind retry duplicates the create', async () => {
    const s = sim();
    const projectId = seed(s);
    s.setFaults([{ kind: 'applyThenDrop', route: CREATE, count: 1 }]);
    await expect(api(s, 'POST', `/projects/${projectId}/tasks/`, create('twice'))).rejects.toThrow();
    expect((await api(s, 'POST', `/projects/${projectId}/tasks/`, create('twice'))).status).toBe(200);
    expect(await outline(s, projectId)).toBe('a\ntwice\ntwice');
    expect(s.stats()).toMatchObject({ faults: 1, requests: expect.objectContaining({ [`POST ${CREATE}`]: 2 }) });
  });

  it('latency delays the response, and counts as a fault', async () => {
    const s = sim();
    s.setFaults([{ kind: 'latency', latencyMs: 20, count: 1 }]);
    expect((await api(s, 'GET', '/workspaces')).status).toBe(200);
    expect(s.stats().faults).toBe(1);
  });

  it('a rate below 1 fires reproducibly for a given seed', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startCheckedSimulator({ seed: 42 });
      try {
        s.setFaults([{ kind: 'status503', rate: 0.5 }]);
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await api(s, 'GET', '/workspaces')).status);
        return statuses;
      } finally {
        await s.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const faulted = first.filter((st) => st === 503).length;
    expect(faulted).toBeGreaterThan(0);
    expect(faulted).toBeLessThan(20);
  });

  it('setFaults([]) clears the rules', async () => {
    const s = sim();
    s.setFaults([{ kind: 'status500' }]);
    expect((await api(s, 'GET', '/workspaces')).status).toBe(500);
    s.setFaults([]);
    expect((await api(s, 'GET', '/workspaces')).status).toBe(200);
  });

  it('refuses a malformed rule, naming it', () => {
    const s = sim();
    expect(() => s.setFaults([{ kind: 'status500' }, { kind: 'explode' as 'drop' }])).toThrow('`rules[1].kind`');
    expect(() => s.setFaults([{ kind: 'status500', rate: 2 }])).toThrow('`rules[0].rate`');
  });
});

describe('a client that gives up during a delay', () => {
  it('never has its request applied, even after the delay has passed', async () => {
    const s = await startCheckedSimulator();
    try {
      const projectId = seed(s);
      s.setFaults([{ kind: 'latency', latencyMs: 1_500, count: 1 }]);
      const abort = new AbortController();
      const request = fetch(`${s.baseUrl}/projects/${projectId}/tasks/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(create('abandoned')),
        signal: abort.signal,
      });
      // Give up only once the simulator holds the request (counted, now waiting out the delay).
      await expect.poll(() => s.stats().total, { timeout: 10_000, interval: 10 }).toBe(1);
      abort.abort();
      await expect(request).rejects.toThrow();
      // The simulator reports the exchange as dropped once the delay is over.
      await expect.poll(() => s.exchanges().length, { timeout: 10_000, interval: 50 }).toBe(1);
      expect(s.exchanges()[0]?.status).toBe(0);
      expect(s.stats().faults).toBe(1);
      expect(await outline(s, projectId)).toBe('a');
    } finally {
      await s.close();
    }
  });
});
