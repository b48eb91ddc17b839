/**
 * How long one sync pass takes on the simulator (loopback) when nothing changed, and when one
 * task's text changed, for a project of N tasks. Run: `npx tsx bench/engine-noop.ts [N…]`.
 * Prints wall-clock milliseconds (median of 5) and the requests each pass made.
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
  const deps = { root, config, journal, client, logger: { event: () => {} } };
  let t = performance.now();
  await syncOnce(deps);
  const firstMs = performance.now() - t;
  const time = async (edit: (i: number) => void): Promise<{ ms: number; requests: string }> => {
    const runs: number[] = [];
    let requests = '';
    for (let i = 0; i < 5; i++) {
      edit(i);
      sim.resetStats();
      t = performance.now();
      await syncOnce(deps);
      runs.push(performance.now() - t);
      const s = sim.stats();
      requests = `${s.reads} reads, ${s.writes} writes`;
    }
    runs.sort((a, b) => a - b);
    return { ms: runs[2]!, requests };
  };
  const noop = await time(() => {});
  const path = join(root, 'bench.md');
  const edit = await time((i) =>
    writeFileSync(path, readFileSync(path, 'utf8').replace(/Child 3\.3[^ ]* /, `Child 3.3-${i} `)),
  );
  console.log(
    `${parents * 10} tasks: first sync ${firstMs.toFixed(0)} ms (${parents * 10 * 3} sub-resource reads); ` +
      `no-op ${noop.ms.toFixed(0)} ms (${noop.requests}); one text edit ${edit.ms.toFixed(0)} ms (${edit.requests})`,
  );
  journal.close();
  await client.close();
  await sim.close();
  rmSync(root, { recursive: true, force: true });
}
