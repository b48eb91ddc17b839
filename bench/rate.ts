/**
 * How much of a hidden per-token limit the request queue uses in bulk work, and how many 429s it
 * sees (issue 11). Run: `npx tsx bench/rate.ts`.
 *
 * The simulator gets a hidden limit (a fixed window, no X-RateLimit-* headers, Retry-After on a
 * 429); four callers read the notes, dates and assignees of a 500-task project (a first pull's
 * work) over real HTTP on loopback for 30 minutes of a virtual clock shared by the simulator's
 * window and the queue (time stands still while a request is on the socket). "cold" starts at
 * the configured budget; "warm" starts from the rate the cold run left in the journal.
 */
import { Journal } from '../src/journal/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { queueFromMemory, rememberRate, TaskadeClient, VirtualClock } from '../src/taskade/index.js';

const MINUTES = 30;

async function run(o: { limit: number; budget: number; journal: Journal; clock: VirtualClock }) {
  const { clock } = o;
  const sim = await startSimulator({
    rateLimit: { requests: o.limit, windowMs: 60_000, hidden: true },
    now: () => clock.now(),
  });
  const { projectId, taskIds: ids } = sim.seedProject({
    name: 'Bulk',
    tasks: Array.from({ length: 500 }, (_, i) => ({ text: `Task ${i}` })),
  });
  const queue = queueFromMemory({
    requestsPerMinute: o.budget,
    token: sim.token,
    store: o.journal,
    queue: { clock, maxRateLimitRetries: 1_000 },
  });
  const startRate = queue.stats().currentRatePerMinute;
  const client = new TaskadeClient({ baseUrl: sim.baseUrl, token: sim.token, queue });
  const start = clock.now();
  const end = start + MINUTES * 60_000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (clock.now() < end) {
      const i = next++;
      const id = ids[Math.floor(i / 3) % ids.length]!;
      if (i % 3 === 0) await client.getNote(projectId, id);
      else if (i % 3 === 1) await client.getDate(projectId, id);
      else await client.getAssignees(projectId, id);
    }
  };
  sim.resetStats();
  await clock.runUntil(Promise.all([worker(), worker(), worker(), worker()]), {
    busy: () => queue.stats().inFlight > 0,
  });
  const s = sim.stats();
  const passed = s.total - s.rateLimited;
  rememberRate(queue, o.journal, sim.token, clock.now());
  const result = {
    startRate,
    endRate: queue.stats().currentRatePerMinute,
    requests: s.total,
    rateLimited: s.rateLimited,
    share: passed / (o.limit * ((clock.now() - start) / 60_000)),
  };
  await client.close();
  await sim.close();
  return result;
}

console.log(`hidden limit per token, ${MINUTES} simulated minutes of bulk reads each (4 callers)`);
console.log('limit/min  budget  run   start→end rate  requests  429s  share of the limit');
for (const [limit, budget] of [
  [40, 60],
  [100, 60],
  [300, 60],
] as const) {
  const journal = Journal.openInMemory();
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  for (const phase of ['cold', 'warm']) {
    const r = await run({ limit, budget, journal, clock });
    console.log(
      `${String(limit).padStart(9)}  ${String(budget).padStart(6)}  ${phase}  ${`${r.startRate}→${r.endRate}`.padStart(14)}  ` +
        `${String(r.requests).padStart(8)}  ${String(r.rateLimited).padStart(4)}  ${(r.share * 100).toFixed(1)} %`,
    );
    await clock.advance(120_000);
  }
  journal.close();
}
