import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/journal/index.js';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld;
afterEach(async () => {
  await w?.close();
});

async function synced(world: CliWorld, n = 3): Promise<{ projectId: string; ids: string[] }> {
  const { projectId, taskIds } = world.sim.seedProject({
    name: 'P',
    tasks: Array.from({ length: n }, (_, i) => ({ text: `Task ${i}` })),
  });
  world.write('p.md', linkedFile(projectId, []));
  const r = await world.run('sync');
  expect(r.code, r.stderr).toBe(0);
  return { projectId, ids: taskIds };
}

describe('taskade-sync sync: exit codes', () => {
  it('0: done — and a summary line with the request counts', async () => {
    w = await startCliWorld();
    await synced(w);
    const r = await w.run('sync');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /ok: 1 file\(s\), 0 synced, 1 unchanged; 0 change\(s\) sent to Taskade, 0 to files; 1 reads, 0 writes/,
    );
  });

  it('1: a file failed for another reason (its project no longer exists)', async () => {
    w = await startCliWorld();
    w.write('gone.md', linkedFile('NoSuchProject0000', ['- [ ] x']));
    const r = await w.run('sync');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gone.md');
    expect(r.stderr).toContain('NoSuchProject0000');
  });

  it('2: config error, naming the key', async () => {
    w = await startCliWorld({ conflictWinner: 'both' });
    const r = await w.run('sync');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`conflictWinner` is "both", expected "remote" or "local"');
  });

  it('2: missing token, naming the variable', async () => {
    w = await startCliWorld();
    const r = await runCli(['sync'], { cwd: w.root, env: { TASKADE_API_URL: w.sim.baseUrl } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TASKADE_TOKEN is not set');
  });

  it('3: conflicts pending', async () => {
    w = await startCliWorld();
    const { projectId, ids } = await synced(w);
    w.write('p.md', w.read('p.md').replace('Task 1', 'Task 1 local'));
    const other = (await import('../../src/taskade/index.js')).TaskadeClient;
    const client = new other({ baseUrl: w.sim.baseUrl, token: w.sim.token });
    await client.updateTaskText(projectId, ids[1]!, 'Task 1 remote');
    await client.close();
    const r = await w.run('sync');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('conflict on text');
    // Still 3 on the next run while the marker stays in the file, and --json names what is pending.
    const again = await w.run('sync', '--json');
    expect(again.code).toBe(3);
    const json = JSON.parse(again.stdout) as { files: Array<{ conflicts: unknown[]; pendingConflicts: unknown[] }> };
    expect(json.files[0]!.conflicts).toEqual([]);
    expect(json.files[0]!.pendingConflicts).toEqual([{ taskId: ids[1], field: 'text', winner: 'remote' }]);
  });

  it('4: the safety guard stops a mass delete; --force applies it', async () => {
    w = await startCliWorld();
    const { projectId } = await synced(w, 8);
    w.write(
      'p.md',
      w
        .read('p.md')
        .split('\n')
        .filter((l) => !/Task [1-7]/.test(l))
        .join('\n'),
    );
    const r = await w.run('sync');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/would delete 7 of 8 tasks on the remote side/);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
    const forced = await w.run('sync', '--force');
    expect(forced.code).toBe(0);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}']).toBe(7);
    void projectId;
  });

  it('5: the token is refused', async () => {
    w = await startCliWorld();
    await synced(w);
    const r = await runCli(['sync'], { cwd: w.root, env: { ...w.env, TASKADE_TOKEN: 'wrong-token' } });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('refused');
    expect(r.stderr).not.toContain('wrong-token');
  });

  it('6: Taskade unreachable (nothing listens at the URL)', async () => {
    w = await startCliWorld();
    w.write('p.md', linkedFile('AnyProject000000', []));
    const r = await runCli(['sync'], { cwd: w.root, env: { ...w.env, TASKADE_API_URL: 'http://127.0.0.1:9/api/v1' } });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/unreachable/i);
  });

  it('7: another sync holds the lock beyond lockWaitMs', async () => {
    w = await startCliWorld();
    await synced(w);
    const lock = await acquireLock(join(w.root, '.taskade-sync'), { purpose: 'watch', waitMs: 0 });
    try {
      const r = await w.run('sync');
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(`pid ${process.pid}`);
    } finally {
      lock.release();
    }
  });
});

describe('taskade-sync sync: --dry-run and --json', () => {
  it('--dry-run prints the plan and changes nothing anywhere', async () => {
    w = await startCliWorld();
    await synced(w);
    const before = w.read('p.md');
    w.write('p.md', before.replace('Task 0', 'Task zero'));
    const edited = w.read('p.md');
    w.sim.resetStats();
    const r = await w.run('sync', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rename “Task 0” → “Task zero”');
    expect(r.stdout).toContain('“Task zero”');
    expect(w.sim.stats().writes).toBe(0);
    expect(w.read('p.md')).toBe(edited);
    // and the real run still has the work to do
    const real = await w.run('sync', '--json');
    const json = JSON.parse(real.stdout) as { files: Array<{ remoteOps: number }> };
    expect(json.files[0]!.remoteOps).toBe(1);
  });

  it('--json prints one stable document and nothing else on stdout', async () => {
    w = await startCliWorld();
    const { projectId } = await synced(w);
    const r = await w.run('sync', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1,
      outcome: 'ok',
      exitCode: 0,
      dryRun: false,
      error: null,
      requests: { reads: 1, writes: 0 },
      files: [
        {
          path: 'p.md',
          projectId,
          outcome: 'unchanged',
          remoteOps: 0,
          localChanges: 0,
          conflicts: [],
          pendingConflicts: [],
          diagnostics: [],
          error: null,
        },
      ],
    });
  });

  it('a FILE argument syncs only that file; one outside the root is a usage error', async () => {
    w = await startCliWorld();
    await synced(w);
    const { projectId } = w.sim.seedProject({ name: 'Q', tasks: [{ text: 'q' }] });
    w.write('q.md', linkedFile(projectId, []));
    const r = await w.run('sync', 'p.md', '--json');
    expect((JSON.parse(r.stdout) as { files: unknown[] }).files).toHaveLength(1);
    expect((await w.run('sync', '../elsewhere.md')).code).toBe(2);
  });
});

describe('sync FILE that sync does not cover', () => {
  it('names a FILE that does not exist and exits 2', async () => {
    w = await startCliWorld();
    const r = await w.run('sync', 'inbx.md');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('inbx.md does not exist');
  });

  it('names a FILE that is not linked, with the command that links it, and exits 2', async () => {
    w = await startCliWorld();
    w.write('ideas.md', '# Ideas\n\n- [ ] Write more\n');
    const r = await w.run('sync', 'ideas.md');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ideas.md is not linked to a Taskade project');
    expect(r.stderr).toContain('taskade-sync link ideas.md --project ID');
  });
});
