import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { announceDaemon } from '../../src/daemon/presence.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
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

async function folder(): Promise<{ dir: string; sim: Simulator }> {
  sim = await startSimulator();
  dir = mkdtempSync(join(tmpdir(), 'taskade-watch-cli-'));
  const { projectId } = sim.seedProject({ name: 'Inbox', tasks: [{ text: 'Reply to Ana' }] });
  writeFileSync(join(dir, 'sync.config.json'), JSON.stringify({ apiUrl: sim.baseUrl, lockWaitMs: 2000 }));
  writeFileSync(join(dir, 'inbox.md'), `---\ntaskade:\n  project: ${projectId}\n---\n# Inbox\n`);
  return { dir, sim };
}

describe('taskade-sync watch', () => {
  it('stops with exit 5 and says which variable holds the refused token', async () => {
    const f = await folder();
    const r = await runCli(['watch'], { cwd: f.dir, env: { TASKADE_TOKEN: 'not-the-token' } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/refused the token.*TASKADE_TOKEN/);
  });

  it('refuses to start a second daemon on the same folder (exit 7)', async () => {
    const f = await folder();
    const presence = announceDaemon(join(f.dir, '.taskade-sync'), Date.now());
    try {
      const r = await runCli(['watch'], { cwd: f.dir, env: { TASKADE_TOKEN: f.sim.token } });
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(new RegExp(`daemon \\(pid ${process.pid}`));
    } finally {
      presence.withdraw();
    }
  });

  it('prints JSON log lines with --json and exits 0 when the signal fires', async () => {
    const f = await folder();
    const controller = new AbortController();
    const run = runCli(['watch', '--json'], {
      cwd: f.dir,
      env: { TASKADE_TOKEN: f.sim.token },
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 1500));
    controller.abort();
    const r = await run;
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; time: string });
    expect(lines[0]?.type).toBe('daemon-start');
    expect(lines.some((l) => l.type === 'local-write')).toBe(true);
    expect(lines.at(-1)?.type).toBe('daemon-stop');
  });

  it('as a child process, SIGTERM ends it with exit 0 and no daemon left behind', async () => {
    const f = await folder();
    const child = spawn(process.execPath, ['--import', TSX, join(REPO, 'src/cli/bin.ts'), 'watch'], {
      cwd: f.dir,
      env: { ...process.env, TASKADE_TOKEN: f.sim.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes('added “Reply to Ana”') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('added “Reply to Ana”');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('stopped; the journal is committed');
    const status = await runCli(['status', '--json'], { cwd: f.dir, env: {} });
    expect((JSON.parse(status.stdout) as { daemon: unknown }).daemon).toBeNull();
  });
});
