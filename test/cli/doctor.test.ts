import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/journal/index.js';
import { runCli } from '../support/cli.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

interface DoctorJson {
  version: number;
  exitCode: number;
  checks: Array<{ check: string; status: string; detail: string; fix: string | null; exitCode: number | null }>;
}

async function doctor(
  world: CliWorld,
  env: NodeJS.ProcessEnv = world.env,
): Promise<DoctorJson & { code: number; stdout: string }> {
  const r = await runCli(['doctor', '--json'], { cwd: world.root, env });
  expect(r.stderr).toBe('');
  return { ...(JSON.parse(r.stdout) as DoctorJson), code: r.code, stdout: r.stdout };
}

const statusOf = (d: DoctorJson) => Object.fromEntries(d.checks.map((c) => [c.check, c.status]));

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('taskade-sync doctor', () => {
  it('all good: every check ok, exit 0, one request (the token’s workspaces), the token never printed, nothing created', async () => {
    w = await startCliWorld();
    w.sim.resetStats();
    const text = await w.run('doctor');
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toContain('all good');
    expect(text.stdout).toContain(join(w.root, 'sync.config.json'));
    expect(text.stdout).toMatch(/^ok\s+token\s+TASKADE_TOKEN is set$/m);
    expect(text.stdout).toContain(`${w.sim.baseUrl} accepts the token; it sees 1 workspace(s)`);
    expect(text.stdout).toContain('→ `taskade-sync watch`'); // the daemon is not running: what to do
    expect(text.stdout).not.toContain(w.sim.token);
    expect(w.sim.stats().requests).toEqual({ 'GET /workspaces': 1 });
    expect(existsSync(join(w.root, '.taskade-sync'))).toBe(false);
    const d = await doctor(w);
    expect(d.exitCode).toBe(0);
    expect(d.checks.map((c) => c.check)).toEqual([
      'config',
      'token',
      'taskade',
      'state-dir',
      'journal',
      'lock',
      'daemon',
      'files',
    ]);
    expect(new Set(d.checks.map((c) => c.status))).toEqual(new Set(['ok']));
  });

  it('no config: exit 2, says to run init, and checks nothing that needs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsync-doctor-'));
    try {
      const r = await runCli(['doctor'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/^FAIL\s+config\s+no sync\.config\.json in /m);
      expect(r.stdout).toContain('→ `taskade-sync init` writes one here');
      expect(r.stdout).toMatch(/^--\s+token\s+not checked: needs the config$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('token variable not set: exit 2, and Taskade is still checked for reachability (without a token)', async () => {
    w = await startCliWorld();
    w.sim.resetStats();
    const d = await doctor(w, { TASKADE_API_URL: w.env.TASKADE_API_URL });
    expect(d.code).toBe(2);
    expect(statusOf(d)).toMatchObject({ config: 'ok', token: 'fail', taskade: 'ok' });
    const token = d.checks.find((c) => c.check === 'token')!;
    expect(token.detail).toBe('TASKADE_TOKEN is not set');
    expect(token.fix).toContain('export TASKADE_TOKEN=');
    expect(d.checks.find((c) => c.check === 'taskade')!.detail).toContain('answers (HTTP 401 without a token)');
  });

  it('a token Taskade refuses: exit 5, naming the variable, never the token', async () => {
    w = await startCliWorld();
    const d = await doctor(w, { ...w.env, TASKADE_TOKEN: 'not-the-token' });
    expect(d.code).toBe(5);
    expect(d.exitCode).toBe(5);
    const t = d.checks.find((c) => c.check === 'taskade')!;
    expect(t.status).toBe('fail');
    expect(t.detail).toContain('refuses the token in TASKADE_TOKEN (HTTP 401)');
    expect(d.stdout).not.toContain('not-the-token');
  });

  it('a token with a line break: exit 2 naming the variable and the position, never the token', async () => {
    w = await startCliWorld();
    const d = await doctor(w, { ...w.env, TASKADE_TOKEN: 'abc\ndef' });
    expect(d.code).toBe(2);
    expect(d.checks.find((c) => c.check === 'token')!.detail).toContain('a line break at position 4');
    expect(d.stdout).not.toContain('abc');
  });

  it('Taskade unreachable: exit 6, naming the URL', async () => {
    w = await startCliWorld();
    const url = `http://127.0.0.1:${await closedPort()}/api/v1`;
    const d = await doctor(w, { ...w.env, TASKADE_API_URL: url });
    expect(d.code).toBe(6);
    const t = d.checks.find((c) => c.check === 'taskade')!;
    expect(t.detail).toContain(`${url} does not answer`);
    expect(t.fix).toContain('TASKADE_API_URL');
  });

  it('a journal from a newer taskade-sync: exit 2 with what to do; the file is not touched', async () => {
    w = await startCliWorld();
    mkdirSync(join(w.root, '.taskade-sync'));
    const db = new Database(join(w.root, '.taskade-sync', 'state.db'));
    db.pragma('user_version = 99');
    db.close();
    const d = await doctor(w);
    expect(d.code).toBe(2);
    const j = d.checks.find((c) => c.check === 'journal')!;
    expect(j.detail).toContain('schema version 99, newer than this taskade-sync supports');
    expect(j.fix).toContain('upgrade taskade-sync');
    const again = new Database(join(w.root, '.taskade-sync', 'state.db'), { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(99);
    again.close();
  });

  it('after a sync: journal current, lock free; a held lock names its holder; a running daemon is shown', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'One' }] });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    let d = await doctor(w);
    expect(d.checks.find((c) => c.check === 'journal')!.detail).toMatch(/schema version \d+ \(current\)/);
    expect(d.checks.find((c) => c.check === 'lock')!.detail).toBe('free (no pass is running)');
    expect(d.checks.find((c) => c.check === 'files')!.detail).toBe('1 linked file(s), none missing');

    const stateDir = join(w.root, '.taskade-sync');
    const lock = await acquireLock(stateDir, { purpose: 'sync', waitMs: 0 });
    writeFileSync(
      join(stateDir, 'daemon.json'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), since: Date.now() }),
    );
    try {
      d = await doctor(w);
      expect(d.code).toBe(0);
      expect(d.checks.find((c) => c.check === 'lock')!.detail).toContain(
        `held by pid ${process.pid} on ${hostname()} (sync)`,
      );
      expect(d.checks.find((c) => c.check === 'daemon')!.detail).toContain(`running: pid ${process.pid}`);
    } finally {
      lock.release();
      unlinkSync(join(stateDir, 'daemon.json'));
    }
  });

  it('a linked file that is missing is a warning naming it and its project, with what to do; exit stays 0', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'One' }] });
    w.write('notes/p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    unlinkSync(join(w.root, 'notes/p.md'));
    const r = await w.run('doctor');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`WARN  files      1 of 1 linked file(s) missing: notes/p.md (project ${projectId})`);
    expect(r.stdout).toContain('restore the file');
    expect(r.stdout).toContain('0 failed, 1 warning(s); nothing failed');
  });
});
