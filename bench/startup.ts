/**
 * What a CLI run loads and how long it takes to start (issue 11). Run after `npm run build`:
 * `npx tsx bench/startup.ts`. Spawns `node dist/cli/bin.js …` (the installed form), counts the
 * modules each run loads (builtins excepted; a loader hook logs them), and times the run (median of
 * 5). The no-op `sync` runs against the simulator on loopback, on a 10-task project already synced.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../src/simulator/index.js';

const repo = new URL('..', import.meta.url).pathname;
const bin = process.argv[2] ?? join(repo, 'dist/cli/bin.js');
const register = join(repo, 'bench/support/register-count.mjs');

const sim = await startSimulator();
const root = mkdtempSync(join(tmpdir(), 'tsync-startup-'));
const { projectId } = sim.seedProject({
  name: 'Small',
  tasks: Array.from({ length: 10 }, (_, i) => ({ text: `Task ${i}` })),
});
writeFileSync(join(root, 'sync.config.json'), JSON.stringify({ requestsPerMinute: 6000 }));
writeFileSync(join(root, 'small.md'), `---\ntaskade:\n  project: ${projectId}\n---\n# Small\n`);
const env = { ...process.env, TASKADE_TOKEN: sim.token, TASKADE_API_URL: sim.baseUrl };

/** Runs the CLI in a child (the simulator answers from this process, so spawn asynchronously). */
async function run(args: string[], count: boolean): Promise<{ ms: number; modules: number; code: number | null }> {
  const log = join(root, 'modules.log');
  rmSync(log, { force: true });
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...(count ? ['--import', register] : []), bin, ...args], {
      cwd: root,
      env: { ...env, TSYNC_MODULE_LOG: log },
      stdio: 'ignore',
    });
    child.on('exit', resolve);
  });
  const ms = performance.now() - t0;
  let modules = 0;
  try {
    modules = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    modules = 0;
  }
  return { ms, modules, code };
}

if ((await run(['sync'], false)).code !== 0) throw new Error('the first sync failed');
console.log(`startup of ${bin}`);
console.log('command          modules  median ms (of 5)');
for (const args of [['--help'], ['sync', '--help'], ['status'], ['sync']]) {
  const { modules } = await run(args, true);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await run(args, false)).ms);
  times.sort((a, b) => a - b);
  console.log(`${args.join(' ').padEnd(15)}  ${String(modules).padStart(7)}  ${times[2]!.toFixed(0).padStart(9)}`);
}
await sim.close();
rmSync(root, { recursive: true, force: true });
