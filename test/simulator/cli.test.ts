import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

interface Running {
  baseUrl: string;
  token: string;
  output: () => string;
  /** Fires the abort signal (Ctrl-C) and resolves with the exit code. */
  stop: () => Promise<number>;
}

/**
 * Runs `taskade-sync simulate --port 0 …` in-process, like test/support/cli.ts's runCli, but
 * reads stdout while the command is still serving, to learn the URL it printed.
 */
async function simulate(args: string[], cwd: string): Promise<Running> {
  const abort = new AbortController();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = main(['simulate', '--port', '0', ...args], {
    stdout,
    stderr,
    env: {},
    cwd,
    isTTY: false,
    signal: abort.signal,
  });
  const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
    const check = (): void => {
      const m = /export TASKADE_API_URL=(\S+) TASKADE_TOKEN=(\S+)/.exec(out);
      if (m !== null) resolve(m);
    };
    stdout.on('data', check);
    void exit.then((code) => reject(new Error(`simulate exited ${code} before printing its URL: ${err}`)));
  });
  return {
    baseUrl: printed[1] as string,
    token: printed[2] as string,
    output: () => out,
    stop: async () => {
      abort.abort();
      return exit;
    },
  };
}

// any: each call reads the one field it checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the responses are validated by the contract checker
async function get(run: Running, path: string, token = run.token): Promise<{ status: number; body: any }> {
  const res = await fetch(run.baseUrl + path, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe('taskade-sync simulate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-sim-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the base URL, token and ids, serves the API, and exits 0 on Ctrl-C', async () => {
    const run = await simulate(['--token', 'cli-token'], dir);
    expect(run.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(run.token).toBe('cli-token');
    const workspaces = await get(run, '/workspaces');
    const ws = workspaces.body.items[0];
    expect(run.output()).toContain(`workspace:  ${ws.id}`);
    const folders = await get(run, `/workspaces/${ws.id}/folders`);
    expect(run.output()).toContain(`folder:     ${folders.body.items[1].id}`);
    expect((await get(run, '/workspaces', 'other')).status).toBe(401);
    expect(await run.stop()).toBe(0);
    expect(run.output()).toContain('Simulator stopped.');
  });

  it('--rate-limit N allows N requests per minute per token', async () => {
    const run = await simulate(['--rate-limit', '2'], dir);
    try {
      expect(run.output()).toContain('rate limit: 2 requests per minute per token');
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(run, '/workspaces')).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await run.stop();
    }
  });

  it('--state FILE with --seed-demo keeps the demo project across restarts, seeding it once', async () => {
    const first = await simulate(['--state', 'sim.json', '--seed-demo', '--behaviour', 'rootNode=false'], dir);
    const projectId = /project: +(\S+)/.exec(first.output())?.[1] as string;
    const tasks = await get(first, `/projects/${projectId}/tasks`);
    expect(tasks.body.items[0]).toEqual({ id: expect.any(String), text: 'Try the sync loop', completed: false });
    expect(await first.stop()).toBe(0);

    const second = await simulate(['--state', join(dir, 'sim.json'), '--seed-demo'], dir);
    try {
      expect(second.output()).not.toMatch(/project: /);
      const mine = await get(second, '/me/projects');
      expect(mine.body.items).toEqual([{ id: projectId, name: 'Demo' }]);
    } finally {
      await second.stop();
    }
  });

  it('refuses bad flags with exit 2 and a message naming the flag', async () => {
    const port = await runCli(['simulate', '--port', '70000'], { cwd: dir });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('`--port`');
    const behaviour = await runCli(['simulate', '--behaviour', 'textMode=html'], { cwd: dir });
    expect(behaviour.code).toBe(2);
    expect(behaviour.stderr).toContain('`behaviours.textMode`');
  });
});
