import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_MARKER, HOOKS, hookScript } from '../../src/cli/commands/hooks.js';
import { runCli } from '../support/cli.js';

const EXAMPLES = new URL('../../examples/git-hooks/', import.meta.url).pathname;

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A git repository in a fresh folder, with a private HOME so no user config leaks in. */
function repo(): { top: string; env: NodeJS.ProcessEnv; git: (...args: string[]) => string } {
  dir = mkdtempSync(join(tmpdir(), 'tsync-hooks-'));
  const top = join(dir, 'repo');
  mkdirSync(top);
  const env = {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: top, env, encoding: 'utf8', stdio: 'pipe' }).trim();
  git('init', '-q', '.');
  // A stand-in `taskade-sync` on PATH that records how the hook called it.
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'taskade-sync'), `#!/bin/sh\necho "$PWD $@" >> "${dir}/calls"\nexit 3\n`);
  chmodSync(join(dir, 'bin', 'taskade-sync'), 0o755);
  return { top, env, git };
}

const calls = () => (existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : []);

describe('taskade-sync hooks', () => {
  it('install writes executable post-commit and post-merge hooks that run `sync --quiet` after a commit', async () => {
    const { top, env, git } = repo();
    writeFileSync(join(top, 'sync.config.json'), '{}');
    const r = await runCli(['hooks', 'install'], { cwd: top, env });
    expect(r.code, r.stderr).toBe(0);
    for (const hook of HOOKS) {
      const path = join(top, '.git', 'hooks', hook);
      expect(r.stdout).toContain(`${path}: installed`);
      expect(statSync(path).mode & 0o111).not.toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(hookScript(hook));
    }
    writeFileSync(join(top, 'a.md'), '# A\n');
    git('add', 'a.md');
    const out = execFileSync('git', ['commit', '-q', '-m', 'a'], { cwd: top, env, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toBe('');
    expect(calls()).toEqual([`${top} sync --quiet`]);
    // Installing again changes nothing.
    expect((await runCli(['hooks', 'install'], { cwd: top, env })).stdout).toContain('post-commit: unchanged');
  });

  it('a config below the repository top: the hook runs `taskade-sync -C <folder> sync --quiet`', async () => {
    const { top, env, git } = repo();
    mkdirSync(join(top, 'my notes'));
    writeFileSync(join(top, 'my notes', 'sync.config.json'), '{}');
    expect((await runCli(['hooks', 'install'], { cwd: join(top, 'my notes'), env })).code).toBe(0);
    expect(readFileSync(join(top, '.git', 'hooks', 'post-commit'), 'utf8')).toContain(
      "taskade-sync -C 'my notes' sync --quiet",
    );
    git('commit', '-q', '--allow-empty', '-m', 'x');
    expect(calls()).toEqual([`${top} -C my notes sync --quiet`]);
  });

  it('--config FILE is carried into the hook relative to the repository top', async () => {
    const { top, env } = repo();
    mkdirSync(join(top, 'conf'));
    writeFileSync(join(top, 'conf', 'service.json'), JSON.stringify({ root: '..' }));
    expect((await runCli(['--config', 'conf/service.json', 'hooks', 'install'], { cwd: top, env })).code).toBe(0);
    expect(readFileSync(join(top, '.git', 'hooks', 'post-merge'), 'utf8')).toContain(
      'taskade-sync --config conf/service.json sync --quiet',
    );
  });

  it('core.hooksPath: the hooks go where git runs them from', async () => {
    const { top, env, git } = repo();
    writeFileSync(join(top, 'sync.config.json'), '{}');
    git('config', 'core.hooksPath', 'githooks');
    expect((await runCli(['hooks', 'install'], { cwd: top, env })).code).toBe(0);
    expect(existsSync(join(top, 'githooks', 'post-commit'))).toBe(true);
    expect(existsSync(join(top, '.git', 'hooks', 'post-commit'))).toBe(false);
    git('commit', '-q', '--allow-empty', '-m', 'x');
    expect(calls()).toHaveLength(1);
  });

  it('from a linked worktree, the hooks go to the shared hooks folder and run in the worktree', async () => {
    const { top, env, git } = repo();
    writeFileSync(join(top, 'sync.config.json'), '{}');
    git('add', 'sync.config.json');
    git('commit', '-q', '-m', 'config');
    const other = join(dir, 'other');
    git('worktree', 'add', '-q', other);
    expect((await runCli(['hooks', 'install'], { cwd: other, env })).code).toBe(0);
    expect(existsSync(join(top, '.git', 'hooks', 'post-commit'))).toBe(true);
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'y'], { cwd: other, env, stdio: 'pipe' });
    expect(calls()).toEqual([`${other} sync --quiet`]);
  });

  it('someone else’s hook is left alone and nothing is installed; the message says how to chain; exit 2', async () => {
    const { top, env } = repo();
    writeFileSync(join(top, 'sync.config.json'), '{}');
    const theirs = '#!/bin/sh\nrun-my-linter\n';
    writeFileSync(join(top, '.git', 'hooks', 'post-merge'), theirs);
    const r = await runCli(['hooks', 'install'], { cwd: top, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(top, '.git', 'hooks', 'post-merge')} is not a taskade-sync hook`);
    expect(r.stderr).toContain('add this line to it: taskade-sync sync --quiet || true');
    expect(readFileSync(join(top, '.git', 'hooks', 'post-merge'), 'utf8')).toBe(theirs);
    expect(existsSync(join(top, '.git', 'hooks', 'post-commit'))).toBe(false);
    const json = await runCli(['hooks', 'install', '--json'], { cwd: top, env });
    expect(JSON.parse(json.stdout).hooks.map((h: { result: string }) => h.result)).toEqual(['skipped', 'refused']);
  });

  it('uninstall removes only ours', async () => {
    const { top, env } = repo();
    writeFileSync(join(top, 'sync.config.json'), '{}');
    expect((await runCli(['hooks', 'install'], { cwd: top, env })).code).toBe(0);
    const theirs = '#!/bin/sh\nrun-my-linter\n';
    writeFileSync(join(top, '.git', 'hooks', 'post-merge'), theirs);
    const r = await runCli(['hooks', 'uninstall'], { cwd: top, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('post-commit: removed');
    expect(r.stdout).toContain('post-merge: not a taskade-sync hook, kept');
    expect(existsSync(join(top, '.git', 'hooks', 'post-commit'))).toBe(false);
    expect(readFileSync(join(top, '.git', 'hooks', 'post-merge'), 'utf8')).toBe(theirs);
  });

  it('outside a git repository: exit 2 saying so', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsync-nogit-'));
    writeFileSync(join(dir, 'sync.config.json'), '{}');
    const r = await runCli(['hooks', 'install'], {
      cwd: dir,
      env: { PATH: process.env.PATH, GIT_CEILING_DIRECTORIES: tmpdir() },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not inside a git repository');
  });

  it('the examples are the hooks install writes (so uninstall recognises a copied example)', () => {
    for (const hook of HOOKS) {
      const example = readFileSync(join(EXAMPLES, hook), 'utf8');
      expect(example).toBe(hookScript(hook));
      expect(example.split('\n')).toContain(HOOK_MARKER);
    }
  });
});
