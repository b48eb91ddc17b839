import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { runCli } from '../support/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsync-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('taskade-sync init', () => {
  it('with no flags and no terminal writes a working default rooted in the current folder', async () => {
    const r = await runCli(['init'], { cwd: dir, isTTY: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote');
    const config = loadConfig(dir, {});
    expect(config.root).toBe(dir);
    expect(config.conflictWinner).toBe('remote');
  });

  it('takes every setting as a flag and asks nothing', async () => {
    const r = await runCli(
      [
        'init',
        '--root',
        '.',
        '--conflict-winner',
        'local',
        '--requests-per-minute',
        '120',
        '--delete-guard-share',
        '0.3',
        '--token-env',
        'MY_TOKEN',
        '--lock-wait-ms',
        '500',
      ],
      { cwd: dir, isTTY: true },
    );
    expect(r.code).toBe(0);
    const config = loadConfig(dir, {});
    expect(config).toMatchObject({
      conflictWinner: 'local',
      requestsPerMinute: 120,
      deleteGuard: { share: 0.3, min: 5 },
      tokenEnv: 'MY_TOKEN',
      lockWaitMs: 500,
    });
  });

  it('refuses a bad value with the config grammar and writes nothing (exit 2)', async () => {
    const r = await runCli(['init', '--delete-guard-share', '2'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`deleteGuard.share` is 2, expected a number from 0 to 1');
    expect(existsSync(join(dir, 'sync.config.json'))).toBe(false);
  });

  it('does not overwrite an existing config without --force', async () => {
    writeFileSync(join(dir, 'sync.config.json'), '{"requestsPerMinute": 7}\n');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'sync.config.json'), 'utf8')).toContain('7');
    expect((await runCli(['init', '--force'], { cwd: dir })).code).toBe(0);
    expect(loadConfig(dir, {}).requestsPerMinute).toBe(60);
  });

  it('never writes a token into the config', async () => {
    await runCli(['init'], { cwd: dir, env: { TASKADE_TOKEN: 'tskdp_secret' } });
    expect(readFileSync(join(dir, 'sync.config.json'), 'utf8')).not.toContain('tskdp_secret');
  });
});
