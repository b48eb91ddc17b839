/**
 * Daemon figures on the simulator (run: `npx tsx bench/daemon.ts`, about a minute):
 *
 * 1. save-to-Taskade latency: a file saved → the edit stored on the simulator (median of 20),
 *    with the default debounce (300 ms).
 * 2. remote-to-file latency: an edit through the v1 API → the file rewritten (median of 20),
 *    (a) with the poll floor at its minimum (1 s: real end-to-end, including the wait for the
 *    next poll) and (b) the pipeline alone once a poll starts (`pollNow`).
 * 3. requests per hour at idle, 10 linked projects of 200 tasks, default poll settings: the
 *    daemon loop run for one simulated hour on a virtual clock (real poller, scheduler and
 *    budget; the engine replaced by its cost: 3 reads per rotated task). A real-time run is
 *    not practical: the first pass of 2,000 new tasks alone costs 6,000 sub-resource reads,
 *    100 minutes at the default 60 requests/min.
 */
import { Daemon } from '../src/daemon/daemon.js';
import { Journal } from '../src/journal/index.js';
import { FakeEdges, fileReport, report } from '../test/daemon/support/fake-edges.js';
import { VirtualTimers } from '../test/daemon/support/virtual-timers.js';
import { sleep, Vault, waitFor } from '../test/daemon/support/vault.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function latencies(): Promise<void> {
  const v = await Vault.create({
    config: {
      requestsPerMinute: 6000,
      watch: { debounceMs: 300, quietMs: 0, pollMinMs: 1000, pollMaxMs: 1000, subresourceReadsPerPoll: 0 },
    },
  });
  try {
    const file = 'notes/bench.md';
    const projectId = v.link(
      file,
      'Bench',
      Array.from({ length: 20 }, (_, i) => ({ text: `Task ${i}` })),
    );
    const session = await v.startDaemon();
    await waitFor(() => v.read(file).includes('Task 19'), 'the first pass');
    await sleep(500);
    await session.daemon.whenIdle();

    const save: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const text = `Task 0 saved ${i}`;
      const t0 = performance.now();
      v.write(file, v.read(file).replace(/Task 0( saved \d+)?(?= \^tk-)/, text));
      await waitFor(async () => (await v.remoteTasks(projectId)).some((t) => t.text === text), 'the save on Taskade');
      save.push(performance.now() - t0);
      await sleep(400);
      await session.daemon.whenIdle();
    }
    console.log(`save → Taskade:              ${fmt(save)}   (debounce 300 ms included)`);

    const taskId = (await v.remoteTasks(projectId)).find((t) => t.text === 'Task 1')!.id;
    const polled: number[] = [];
    const pipeline: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const text = `Task 1 remote ${i}`;
      await session.daemon.whenIdle();
      const t0 = performance.now();
      await v.remoteUpdateText(projectId, taskId, text);
      if (i >= 20) session.daemon.pollNow([projectId]);
      await waitFor(() => v.read(file).includes(text), 'the remote edit in the file');
      (i < 20 ? polled : pipeline).push(performance.now() - t0);
      await sleep(400);
    }
    console.log(`remote → file, poll every 1 s: ${fmt(polled)}   (includes waiting for the next poll)`);
    console.log(`remote → file, once polled:    ${fmt(pipeline)}   (list read + sub-resources + file write)`);
  } finally {
    await v.close();
  }
}

async function idleModel(): Promise<void> {
  const timers = new VirtualTimers();
  const journal = Journal.openInMemory();
  const edges = new FakeEdges();
  let subresourceReads = 0;
  for (let p = 1; p <= 10; p += 1) {
    const content = `---\ntaskade:\n  project: P${p}\n---\n`;
    edges.files.set(`p${p}.md`, content);
    edges.remote.set(
      `P${p}`,
      Array.from({ length: 200 }, (_, i) => ({ id: `P${p}-t${i}`, text: `t${i}`, parentId: null, completed: false })),
    );
    journal.upsertLink({
      path: `p${p}.md`,
      projectId: `P${p}`,
      fileHash: edges.hashContent(content),
      at: timers.now(),
    });
  }
  // The engine's cost for an idle pass with lists handed over: 3 reads per rotated task.
  const engine = (r: Parameters<FakeEdges['sync']>[0]) => {
    const n = [...(r.subresourceReads?.values() ?? [])].reduce((a, ids) => a + ids.length, 0) * 3;
    subresourceReads += n;
    edges.sent += n;
    return report((r.files ?? []).map((f) => fileReport(f)));
  };
  edges.sync = async (r) => {
    edges.syncCalls.push(r);
    return engine(r);
  };
  for (const k of [20, 0]) {
    const settings = {
      debounceMs: 300,
      quietMs: 3000,
      pollMinMs: 10_000,
      pollMaxMs: 300_000,
      subresourceReadsPerPoll: k,
      requestsPerMinute: 60,
    };
    const daemon = new Daemon({ settings, journal, edges, logger: { event: () => {} }, timers });
    await daemon.start();
    await timers.advance(60 * 60_000); // warm-up hour: intervals back off to the ceiling
    const lists0 = edges.listCalls.length;
    const sub0 = subresourceReads;
    await timers.advance(60 * 60_000);
    const lists = edges.listCalls.length - lists0;
    const subs = subresourceReads - sub0;
    console.log(
      `idle, 10 projects × 200 tasks, subresourceReadsPerPoll ${String(k).padStart(2)}: ` +
        `${lists + subs} requests/hour (${lists} list reads + ${subs} rotation reads), model on a virtual clock`,
    );
    await daemon.stop();
    for (const l of journal.listLinks())
      journal.putPollState(l.projectId, {
        listHash: '',
        lastPolledAt: timers.now(),
        lastChangedAt: timers.now(),
        intervalMs: 10_000,
        rotationCursor: null,
      });
  }
  journal.close();
}

await latencies();
await idleModel();
