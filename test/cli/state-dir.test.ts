import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let world: CliWorld | null = null;
let dir: string | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** daemon.json as the laptop's daemon wrote it, arrived on this machine with a git pull. */
function laptopPresence(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(
    join(stateDir, 'daemon.json'),
    JSON.stringify({ pid: process.pid, hostname: `not-${hostname()}`, since: Date.parse('2026-01-05T09:00:00Z') }),
  );
}

describe('the state dir stays on its machine', () => {
  it('init writes .taskade-sync/.gitignore that ignores everything in it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsync-state-'));
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, '.taskade-sync', '.gitignore'), 'utf8').split('\n')).toContain('*');
  });

  it('the first sync that creates the state dir writes the ignore file too, and keeps one the user wrote', async () => {
    world = await startCliWorld();
    const { projectId } = world.sim.seedProject({ name: 'Inbox', tasks: [] });
    world.write('inbox.md', linkedFile(projectId, ['- [ ] Reply to Ana']));
    expect(existsSync(join(world.root, '.taskade-sync'))).toBe(false);
    expect((await world.run('sync')).code).toBe(0);
    expect(world.read('.taskade-sync/.gitignore').split('\n')).toContain('*');

    world.write('.taskade-sync/.gitignore', 'state.db\n');
    expect((await world.run('sync')).code).toBe(0);
    expect(world.read('.taskade-sync/.gitignore')).toBe('state.db\n');
  });

  it("another host's daemon.json is not a daemon here: status shows none and watch starts and replaces it", async () => {
    world = await startCliWorld();
    const stateDir = join(world.root, '.taskade-sync');
    laptopPresence(stateDir);
    const status = await world.run('status', '--json');
    expect((JSON.parse(status.stdout) as { daemon: unknown }).daemon).toBeNull();

    const controller = new AbortController();
    const run = runCli(['watch'], { cwd: world.root, env: world.env, signal: controller.signal });
    const presence = (): string => {
      try {
        return readFileSync(join(stateDir, 'daemon.json'), 'utf8');
      } catch {
        return '';
      }
    };
    const deadline = Date.now() + 10_000;
    while (!presence().includes(`"hostname":"${hostname()}"`) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(presence())).toMatchObject({ pid: process.pid, hostname: hostname() });
    controller.abort();
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
