import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/cli/args.js';
import { runCli } from '../support/cli.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('help', () => {
  it('`help sync`, `sync --help` and `sync -h` print the same usage, with the global options and the environment', async () => {
    const [a, b, c] = await Promise.all([runCli(['help', 'sync']), runCli(['sync', '--help']), runCli(['sync', '-h'])]);
    for (const r of [a, b, c]) expect(r.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
    expect(a.stdout).toContain('Usage: taskade-sync sync [FILE…]');
    expect(a.stdout).toContain('-n, --dry-run');
    expect(a.stdout).toContain('-C DIR');
    expect(a.stdout).toContain('--config FILE');
    expect(a.stdout).toContain('TASKADE_TOKEN');
    expect(a.stdout).toContain('TASKADE_API_URL');
  });

  it('the general usage lists the commands, the global options and the environment variables', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['sync', 'doctor', 'hooks', '-C DIR', '--config FILE', 'TASKADE_TOKEN', 'TASKADE_API_URL'])
      expect(r.stdout).toContain(word);
    expect((await runCli(['help'])).stdout).toBe(r.stdout);
  });

  it('`-V` prints the version', async () => {
    const r = await runCli(['-V']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('suggestions for a mistyped command or option', () => {
  it('a mistyped command is exit 2 with the closest command', async () => {
    const r = await runCli(['snyc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command `snyc`; did you mean `sync`?');
    const h = await runCli(['help', 'stauts']);
    expect(h.code).toBe(2);
    expect(h.stderr).toContain('did you mean `status`?');
  });

  it('a word far from every command gets no guess', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command `frobnicate`');
    expect(r.stderr).not.toContain('did you mean');
  });

  it('a mistyped option is exit 2 naming the closest option of that command, before anything is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsync-conv-'));
    try {
      // No config here: the option is checked first.
      const r = await runCli(['sync', '--dryrun'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown option `--dryrun`; did you mean `--dry-run`?');
      const s = await runCli(['status', '--jsno'], { cwd: dir });
      expect(s.stderr).toContain('did you mean `--json`?');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('edit distance counts a swap of neighbours as one edit; suggest keeps to close candidates', () => {
    expect(editDistance('snyc', 'sync')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(suggest('--verbos', ['--verbose', '--quiet'])).toBe('--verbose');
    expect(suggest('--xyz', ['--verbose', '--quiet'])).toBeNull();
    expect(suggest('stat', ['status', 'sync'])).toBe('status');
  });
});

describe('short flags', () => {
  it('`-n` is --dry-run: it prints the plan and changes nothing anywhere', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [] });
    w.write('p.md', linkedFile(projectId, ['- [ ] One']));
    const before = w.read('p.md');
    w.sim.resetStats();
    const r = await w.run('sync', '-n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('dry run');
    expect(w.read('p.md')).toBe(before);
    expect(w.sim.stats().writes).toBe(0);
  });

  it('`-q` prints nothing on a sync with nothing to do; `-v` prints debug events too', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'One' }] });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    const quiet = await w.run('sync', '-q');
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    const loud = await w.run('sync', '-v');
    const plain = await w.run('sync');
    expect(loud.stdout.split('\n').length).toBeGreaterThan(plain.stdout.split('\n').length);
  });
});

describe('-C DIR and --config FILE', () => {
  it('-C DIR runs as if started in DIR, before or after the command', async () => {
    w = await startCliWorld();
    const elsewhere = mkdtempSync(join(tmpdir(), 'tsync-cwd-'));
    try {
      const before = await runCli(['-C', w.root, 'status', '--json'], { cwd: elsewhere, env: w.env });
      expect(before.code, before.stderr).toBe(0);
      expect(JSON.parse(before.stdout).root).toBe(w.root);
      const after = await runCli(['status', '--json', '-C', w.root], { cwd: elsewhere, env: w.env });
      expect(after.stdout).toBe(before.stdout);
      // Without it, no config is found from there.
      expect((await runCli(['status'], { cwd: elsewhere, env: w.env })).code).toBe(2);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('--config FILE uses that file (its root relative to it); a FILE that does not exist is exit 2 naming it', async () => {
    w = await startCliWorld();
    const dir = mkdtempSync(join(tmpdir(), 'tsync-config-'));
    try {
      mkdirSync(join(dir, 'vault'));
      writeFileSync(join(dir, 'service.json'), JSON.stringify({ root: 'vault', lockWaitMs: 200 }));
      const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'From Taskade' }] });
      writeFileSync(join(dir, 'vault', 'p.md'), linkedFile(projectId, []));
      const r = await runCli(['sync', '--config', join(dir, 'service.json')], { cwd: tmpdir(), env: w.env });
      expect(r.code, r.stderr).toBe(0);
      const status = await runCli(['--config=service.json', 'status', '--json'], { cwd: dir, env: w.env });
      expect(JSON.parse(status.stdout).root).toBe(join(dir, 'vault'));
      const missing = await runCli(['sync', '--config', 'nope.json'], { cwd: dir, env: w.env });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(`${join(dir, 'nope.json')} (given by --config) does not exist`);
      expect((await runCli(['sync', '-C'], { cwd: dir })).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
