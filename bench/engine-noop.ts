/**
 * How long one sync pass takes on the simulator (loopback) when nothing changed, and when one
 * task's text changed, for a project of N tasks. Run: `npx tsx bench/engine-noop.ts [N…]`.
 * Prints wall-clock milliseconds (median of 5), the requests each pass made, and the time spent
 * in the journal (SQLite) during the pass, with `replaceBase`'s share.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/index.js';
import { syncOnce } from '../src/engine/index.js';
import { Journal } from '../src/journal/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { RequestQueue, TaskadeClient } from '../src/taskade/index.js';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const n of sizes.length > 0 ? sizes : [500, 5000]) {
  const sim = await startSimulator();
  const root = mkdtempSync(join(tmpdir(), 'tsync-bench-'));
  const config = resolveConfig(
    { requestsPerMinute: 100_000 },
    { baseDir: root, env: { TASKADE_API_URL: sim.baseUrl } },
  );
  const journal = Journal.open(config.journalPath);
  const client = new TaskadeClient({
    baseUrl: sim.baseUrl,
    token: sim.token,
    queue: new RequestQueue({ requestsPerMinute: 100_000, concurrency: 8 }),
  });
  const parents = Math.ceil(n / 10);
  const tasks = Array.from({ length: parents }, (_, i) => ({
    text: `Parent ${i}`,
    children: Array.from({ length: 9 }, (_, j) => ({ text: `Child ${i}.${j}` })),
  }));
  const { projectId } = sim.seedProject({ name: 'Bench', tasks });
  writeFileSync(join(root, 'bench.md'), `---\ntaskade:\n  project: ${projectId}\n---\n# Bench\n`);
  // Time every journal call (SQLite work) of a pass.
  const journalMs = { all: 0, replaceBase: 0 };
  const timedJournal = new Proxy(journal, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          const ms = performance.now() - t0;
          journalMs.all += ms;
          if (key === 'replaceBase') journalMs.replaceBase += ms;
        }
      };
    },
  });
  const deps = { root, config, journal: timedJournal, client, logger: { event: () => {} } };
  let t = performance.now();
  await syncOnce(deps);
  const firstMs = performance.now() - t;
  const time = async (edit: (i: number) => void): Promise<{ ms: number; requests: string; sqlite: string }> => {
    const runs: Array<{ ms: number; all: number; replaceBase: number }> = [];
    let requests = '';
    for (let i = 0; i < 5; i++) {
      edit(i);
      sim.resetStats();
      journalMs.all = 0;
      journalMs.replaceBase = 0;
      t = performance.now();
      await syncOnce(deps);
      runs.push({ ms: performance.now() - t, ...journalMs });
      const s = sim.stats();
      requests = `${s.reads} reads, ${s.writes} writes`;
    }
    const median = (pick: (r: (typeof runs)[number]) => number): number => runs.map(pick).sort((a, b) => a - b)[2]!;
    return {
      ms: median((r) => r.ms),
      requests,
      sqlite: `journal ${median((r) => r.all).toFixed(0)} ms, replaceBase ${median((r) => r.replaceBase).toFixed(0)} ms`,
    };
  };
  const noop = await time(() => {});
  const path = join(root, 'bench.md');
  const edit = await time((i) =>
    writeFileSync(path, readFileSync(path, 'utf8').replace(/Child 3\.3[^ ]* /, `Child 3.3-${i} `)),
  );
  console.log(
    `${parents * 10} tasks: first sync ${firstMs.toFixed(0)} ms (${parents * 10 * 3} sub-resource reads); ` +
      `no-op ${noop.ms.toFixed(0)} ms (${noop.requests}; ${noop.sqlite}); ` +
      `one text edit ${edit.ms.toFixed(0)} ms (${edit.requests}; ${edit.sqlite})`,
  );
  journal.close();
  await client.close();
  await sim.close();
  rmSync(root, { recursive: true, force: true });
}
