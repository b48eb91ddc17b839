import { afterEach, describe, expect, it } from 'vitest';
import { remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

async function synced(world: World, n: number): Promise<string> {
  const { projectId } = world.sim.seedProject({
    name: 'G',
    tasks: Array.from({ length: n }, (_, i) => ({ text: `Task ${i}` })),
  });
  world.write('g.md', `---\ntaskade:\n  project: ${projectId}\n---\n# G\n`);
  expect((await world.sync()).exitCode).toBe(0);
  return projectId;
}

describe('e2e: guards', () => {
  it('a file with parse errors is skipped with a diagnostic, never read as deletions', async () => {
    w = await startWorld();
    const projectId = await synced(w, 6);
    // the front matter is broken YAML now, and every item is gone: still nothing may be deleted
    w.write('g.md', `---\ntaskade: [unclosed\n---\n# G\n`);
    const r = await w.sync();
    expect(r.files[0]).toMatchObject({ path: 'g.md', outcome: 'skipped' });
    expect(r.files[0]!.diagnostics[0]).toMatchObject({ severity: 'error', file: 'g.md', line: expect.any(Number) });
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toHaveLength(6);
  });

  it('a side suddenly empty while the base is not stops the run (exit 4), unless forced', async () => {
    w = await startWorld({ config: { deleteGuard: { share: 0.5, min: 100 } } });
    const projectId = await synced(w, 3);
    w.write('g.md', `---\ntaskade:\n  project: ${projectId}\n---\n# G\n`);
    const r = await w.sync();
    expect(r.exitCode).toBe(4);
    expect(r.files[0]!.outcome).toBe('guard');
    expect(await remoteOutline(w.client, projectId)).toHaveLength(3);
    expect((await w.sync({ force: true })).exitCode).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual([]);
  });

  it('an item over Taskade’s 2000-character limit is not pushed (a diagnostic); the rest is', async () => {
    w = await startWorld();
    const projectId = await synced(w, 1);
    const long = 'x'.repeat(2001);
    w.write('g.md', w.read('g.md') + `- [ ] ${long}\n- [ ] Short one\n`);
    const r = await w.sync();
    expect(r.files[0]!.diagnostics.some((d) => /2000/.test(d.message))).toBe(true);
    const remote = await remoteOutline(w.client, projectId);
    expect(remote).toContain('Short one');
    expect(remote.some((t) => t.length > 2000)).toBe(false);
    expect(w.read('g.md')).toContain(long);
    // the next run reports it again, and sends nothing else
    w.sim.resetStats();
    const again = await w.sync();
    expect(again.files[0]!.diagnostics.some((d) => /2000/.test(d.message))).toBe(true);
    expect(w.sim.stats().writes).toBe(0);
  });

  it('a dry run reports the plan and changes nothing on either side, nor the journal', async () => {
    w = await startWorld();
    const projectId = await synced(w, 2);
    await w.other.updateTaskText(projectId, (await w.other.listTasks(projectId)).tasks[0]!.id, 'Renamed');
    const before = w.read('g.md');
    const runs = w.journal.lastRuns(10).length;
    w.sim.resetStats();
    const r = await w.sync({ dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.files[0]!.plan!.local).toEqual([expect.objectContaining({ type: 'update', values: { text: 'Renamed' } })]);
    expect(w.sim.stats().writes).toBe(0);
    expect(w.read('g.md')).toBe(before);
    expect(w.journal.lastRuns(10)).toHaveLength(runs);
  });
});

describe('e2e: a linked file that is gone', () => {
  it('is reported, and its project is left as it is', async () => {
    w = await startWorld();
    const projectId = await synced(w, 3);
    const { rmSync } = await import('node:fs');
    rmSync(`${w.root}/g.md`);
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(r.files).toEqual([
      expect.objectContaining({
        path: 'g.md',
        projectId,
        outcome: 'skipped',
        error: expect.stringContaining('is gone'),
      }),
    ]);
    expect(await remoteOutline(w.client, projectId)).toHaveLength(3);
  });

  it('a renamed file is followed: same project, same base, no writes', async () => {
    w = await startWorld();
    const projectId = await synced(w, 3);
    const { renameSync } = await import('node:fs');
    renameSync(`${w.root}/g.md`, `${w.root}/renamed.md`);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.files).toEqual([expect.objectContaining({ path: 'renamed.md', outcome: 'unchanged' })]);
    expect(w.journal.getLinkByProject(projectId)?.path).toBe('renamed.md');
    expect(w.sim.stats().writes).toBe(0);
  });
});
