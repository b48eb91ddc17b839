import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/daemon/status.js';
import { startSimulator, type Exchange, type Simulator } from '../../src/simulator/index.js';
import { TaskadeClient } from '../../src/taskade/index.js';
import { runCli } from '../support/cli.js';

const REPO = new URL('../..', import.meta.url).pathname;
// Resolved from the repo: the child runs in a temp folder, where a bare `tsx` is not found.
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

let sim: Simulator | null = null;
let dir: string | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/**
 * A notes folder on a simulator whose hook calls `onRequest` with the number of v1 requests it
 * has answered. 600 requests/min, fixed: one request every 100 ms, so the stop lands between two.
 */
async function world(onRequest: (n: number, e: Exchange) => void): Promise<{ dir: string; sim: Simulator }> {
  let answered = 0;
  sim = await startSimulator({ onExchange: (e) => onRequest(++answered, e) });
  dir = mkdtempSync(join(tmpdir(), 'taskade-stop-cli-'));
  writeFileSync(
    join(dir, 'sync.config.json'),
    JSON.stringify({ apiUrl: sim.baseUrl, requestsPerMinute: 600, maxRequestsPerMinute: 600, lockWaitMs: 2000 }),
  );
  return { dir, sim };
}

/** Runs the CLI as a child process; `stop` sends it SIGINT (or SIGTERM). */
function child(cwd: string, token: string, args: string[]) {
  const proc = spawn(process.execPath, ['--import', TSX, join(REPO, 'src/cli/bin.ts'), ...args], {
    cwd,
    env: { ...process.env, TASKADE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    stop: (signal: NodeJS.Signals) => proc.kill(signal),
    done: async () => ({ code: await exited, stdout, stderr }),
  };
}

describe('Ctrl-C and SIGTERM on a one-shot run', () => {
  it('a stopped pull says how far it got, exits 130, and status counts only the requests sent', async () => {
    let run: ReturnType<typeof child> | null = null;
    const w = await world((n) => {
      if (n === 30) run?.stop('SIGINT');
    });
    const { projectId } = w.sim.seedProject({
      name: 'Big',
      tasks: Array.from({ length: 200 }, (_, i) => ({ text: `Task ${i}` })),
    });
    run = child(w.dir, w.sim.token, ['pull', '--project', projectId]);
    const r = await run.done();
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^stopped: reading details \d+ of 200 done; the next run finishes$/m);
    const seen = w.sim.stats();
    const status = await runCli(['status', '--json'], { cwd: w.dir, env: { TASKADE_TOKEN: w.sim.token } });
    const report = JSON.parse(status.stdout) as StatusReport;
    // The run log counts the engine's requests: all but pull's own project read.
    const engineRequests = seen.total - (seen.requests['GET /projects/{projectId}'] ?? 0);
    expect(report.runs[0]).toMatchObject({ kind: 'pull' });
    expect(report.budget.lastHour.total).toBe(engineRequests);
    expect(engineRequests).toBeLessThan(60); // not the 601 the run had queued
  }, 30_000);

  it('a stopped sync commits the tasks created so far; the next run creates the rest, none twice', async () => {
    let run: ReturnType<typeof child> | null = null;
    let creates = 0;
    const w = await world((_, e) => {
      if (e.method === 'POST' && e.route === '/projects/{projectId}/tasks/' && ++creates === 5) run?.stop('SIGTERM');
    });
    const { projectId } = w.sim.seedProject({ name: 'Empty' });
    const items = Array.from({ length: 400 }, (_, i) => `- [ ] Item ${i}`);
    writeFileSync(join(w.dir, 'new.md'), `---\ntaskade:\n  project: ${projectId}\n---\n# New\n\n${items.join('\n')}\n`);
    run = child(w.dir, w.sim.token, ['sync']);
    const r = await run.done();
    expect(r.code).toBe(130);
    const m = /^stopped: creating tasks (\d+) of 400 done; the next run finishes$/m.exec(r.stderr);
    expect(m).not.toBeNull();
    const done = Number(m![1]);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(400);
    // What was created is in the file with its id.
    const ids = readFileSync(join(w.dir, 'new.md'), 'utf8').match(/\^tk-/g) ?? [];
    expect(ids.length).toBeGreaterThanOrEqual(done);

    const next = await runCli(['sync'], { cwd: w.dir, env: { TASKADE_TOKEN: w.sim.token } });
    expect(next.code).toBe(0);
    expect(readFileSync(join(w.dir, 'new.md'), 'utf8').match(/\^tk-/g)).toHaveLength(400);
    const client = new TaskadeClient({ baseUrl: w.sim.baseUrl, token: w.sim.token });
    try {
      const remote = (await client.listTasks(projectId)).tasks.map((t) => t.text);
      expect(remote).toEqual(items.map((_, i) => `Item ${i}`));
    } finally {
      await client.close();
    }
  }, 60_000);
});
