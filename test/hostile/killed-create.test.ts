import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskadeClient } from '../../src/taskade/index.js';
import { linkedFile, startCliWorld, type CliWorld } from '../cli/cli-world.js';

const REPO = new URL('../..', import.meta.url).pathname;
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const CREATE = 'POST /projects/{projectId}/tasks/';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function remoteTexts(world: CliWorld, projectId: string): Promise<string[]> {
  const client = new TaskadeClient({ baseUrl: world.sim.baseUrl, token: world.sim.token });
  try {
    return (await client.listTasks(projectId)).tasks.map((t) => t.text);
  } finally {
    await client.close();
  }
}

describe('a create that Taskade applies after the client was killed', () => {
  it('is not made again by the next run: its intent waits, and the run after it lands adopts it', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'old' }] });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    w.write('p.md', w.read('p.md') + '- [ ] brand new\n');

    // Taskade takes 3 s to apply the create; the client is killed (SIGKILL) while it waits.
    const route = '/projects/{projectId}/tasks/';
    w.sim.setFaults([
      { kind: 'latency', method: 'POST', route, latencyMs: 3000, count: 1 },
      { kind: 'applyLate', method: 'POST', route, count: 1 },
    ]);
    const child = spawn(process.execPath, ['--import', TSX, join(REPO, 'src/cli/bin.ts'), 'sync'], {
      cwd: w.root,
      env: { ...process.env, ...w.env },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 20_000;
    while ((w.sim.stats().requests[CREATE] ?? 0) === 0 && Date.now() < deadline) await sleep(20);
    expect(w.sim.stats().requests[CREATE]).toBe(1);
    child.kill('SIGKILL');
    await exited;

    // The next run, before Taskade applied it: the item waits, nothing is created.
    const next = await w.run('sync');
    expect(next.stderr).toContain('may still be applied by Taskade');
    expect(w.sim.stats().requests[CREATE]).toBe(1);
    expect(w.read('p.md')).toMatch(/- \[ \] brand new\n/);

    // Taskade applies it; the run after that adopts it: one task, its id in the file.
    while ((await remoteTexts(w, projectId)).length < 2 && Date.now() < deadline) await sleep(100);
    expect((await w.run('sync')).code).toBe(0);
    expect(w.sim.stats().requests[CREATE]).toBe(1);
    expect(await remoteTexts(w, projectId)).toEqual(['old', 'brand new']);
    expect(w.read('p.md')).toMatch(/- \[ \] brand new \^tk-/);
  });
});
