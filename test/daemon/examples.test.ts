import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Runs a hook with a stand-in `taskade-sync` on PATH that records its arguments and exits `code`. */
function runHook(hook: string, code: number): { status: number | null; stderr: string; args: string } {
  dir = mkdtempSync(join(tmpdir(), 'taskade-hooks-'));
  const fake = join(dir, 'taskade-sync');
  writeFileSync(fake, `#!/bin/sh\necho "$@" > "${dir}/args"\nexit ${code}\n`);
  chmodSync(fake, 0o755);
  const r = spawnSync(join(EXAMPLES, 'git-hooks', hook), [], {
    env: { PATH: `${dir}:/usr/bin:/bin` },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, args: readFileSync(join(dir, 'args'), 'utf8').trim() };
}

describe('examples', () => {
  it.each(['post-commit', 'post-merge'])('the %s hook is executable and runs `taskade-sync sync --quiet`', (hook) => {
    expect(statSync(join(EXAMPLES, 'git-hooks', hook)).mode & 0o111).not.toBe(0);
    const r = runHook(hook, 0);
    expect(r).toEqual({ status: 0, stderr: '', args: 'sync --quiet' });
  });

  it('a hook reports pending conflicts without failing the commit', () => {
    const r = runHook('post-commit', 3);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('conflicts pending');
  });

  it('the systemd unit runs watch, stops with SIGTERM, and does not restart on exit 2, 5 or 7', () => {
    const unit = readFileSync(join(EXAMPLES, 'systemd', 'taskade-sync.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=.*taskade-sync watch$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2 5 7$/m);
  });

  it('the launchd agent runs watch and keeps the token out of the plist', () => {
    const plist = readFileSync(join(EXAMPLES, 'launchd', 'com.taskade-sync.watch.plist'), 'utf8');
    expect(plist).toContain('exec taskade-sync watch');
    expect(plist).not.toMatch(/TASKADE_TOKEN<\/key>/);
  });

  it.each([
    [
      'systemd',
      join('systemd', 'taskade-sync.service'),
      /^#\s+ExecStart=(\S+\/bin\/node) (\S+\/bin\/taskade-sync) watch$/m,
    ],
    [
      'launchd',
      join('launchd', 'com.taskade-sync.watch.plist'),
      /exec (\/Users\/YOU\S+\/bin\/node) (\/Users\/YOU\S+\/bin\/taskade-sync) watch$/m,
    ],
  ])(
    'the %s example documents the absolute-path variant, and that form runs with no node on PATH',
    (_kind, file, variant) => {
      const m = variant.exec(readFileSync(join(EXAMPLES, file), 'utf8'));
      expect(m, 'the absolute node + taskade-sync line').not.toBeNull();
      // That form, with this machine's paths, as a service manager would start it: no PATH at all.
      // (`--version` instead of `watch`; the installed bin is a link to dist/cli/bin.js.)
      const bin = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
      const r = spawnSync(process.execPath, [bin, '--version'], { env: {}, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
      // The PATH form is what fails there: `env` finds no taskade-sync.
      expect(
        spawnSync('/usr/bin/env', ['taskade-sync', '--version'], { env: { PATH: '/nonexistent' } }).status,
      ).not.toBe(0);
    },
  );
});
