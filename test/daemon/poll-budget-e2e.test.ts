import { afterEach, describe, expect, it } from 'vitest';
import { sleep, Vault, waitFor } from './support/vault.js';

let vault: Vault | null = null;
afterEach(async () => {
  await vault?.close();
  vault = null;
});

describe('the poller under a low simulator rate limit, 20 linked projects', () => {
  it('gets at most the first 429s of a window and still polls every project within the bound', async () => {
    // The simulator allows 50 requests per 5 s window (600/min) and the config's budget says the
    // same. The poller may use half: 300 list reads/min = 5/s, so a round of 20 projects takes 4 s
    // (README: N × pages / (share × requestsPerMinute)), although each asks for a poll every 1 s.
    const windowMs = 5000;
    const v = (vault = await Vault.create({
      config: { requestsPerMinute: 600, watch: { pollMinMs: 1000, pollMaxMs: 1000 } },
      sim: { rateLimit: { requests: 50, windowMs } },
    }));
    const ids: string[] = [];
    for (let i = 1; i <= 20; i += 1) ids.push(v.link(`projects/p${String(i).padStart(2, '0')}.md`, `Project ${i}`, []));
    const session = await v.startDaemon();
    await waitFor(() => session.daemon.counters.passes >= 1, 'the start-up pass');
    await session.daemon.whenIdle();
    const start = v.sim.exchanges().length;
    const runMs = 12_000;
    await sleep(runMs);
    const lists = v.sim
      .exchanges()
      .slice(start)
      .filter((e) => e.method === 'GET' && e.route === '/projects/{projectId}/tasks' && e.status === 200);
    const perProject = new Map<string, number>();
    for (const e of lists) {
      const id = /\/projects\/([^/]+)\/tasks/.exec(e.path)?.[1] ?? '';
      perProject.set(id, (perProject.get(id) ?? 0) + 1);
    }
    // Every project polled, each at least once per 4 s round (12 s → 3 rounds; allow one slow round).
    expect([...perProject.keys()].sort()).toEqual([...ids].sort());
    expect(Math.min(...perProject.values())).toBeGreaterThanOrEqual(2);
    // Within the share: at most 5/s plus one minute's saved-up burst cap (which is 300 here).
    expect(lists.length).toBeLessThanOrEqual((runMs / 1000) * 5 + 20);
    // 429s: only the first ones of a window (the queue then pauses until it resets), never a storm.
    const windows = Math.ceil((runMs + 5000) / windowMs);
    expect(v.sim.stats().rateLimited).toBeLessThanOrEqual(windows * 4);
  });
});
