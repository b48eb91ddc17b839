import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fileOutline, remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

/** A linked, synced project with three top-level tasks and one child. */
async function linked(world: World): Promise<{ projectId: string; ids: string[] }> {
  const { projectId, taskIds } = world.sim.seedProject({
    name: 'P',
    tasks: [{ text: 'Alpha', children: [{ text: 'Alpha child' }] }, { text: 'Beta' }, { text: 'Gamma' }],
  });
  world.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n`);
  const r = await world.sync();
  expect(r.exitCode).toBe(0);
  return { projectId, ids: taskIds };
}

/** Edit p.md as a user would. */
function edit(world: World, from: string | RegExp, to: string): void {
  const path = 'p.md';
  const before = world.read(path);
  const after = before.replace(from, to);
  expect(after, `edit of ${String(from)} applies`).not.toBe(before);
  world.write(path, after);
}

describe('e2e: changes flow both ways', () => {
  it('a remote text edit made by another client reaches the file, and nothing is written remotely', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    await w.other.updateTaskText(projectId, ids[2]!, 'Beta, renamed in Taskade');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.read('p.md')).toContain('- [ ] Beta, renamed in Taskade ^tk-');
    expect(w.sim.stats().writes).toBe(0);
    // the changed task's sub-resources are read (3), nothing else
    expect(w.sim.stats().reads).toBe(1 + 3);
  });

  it('edits of different fields on both sides merge without a conflict', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    edit(w, /- \[ \] Gamma/, '- [x] Gamma');
    await w.other.putNote(projectId, ids[3]!, 'a note written in Taskade');
    await w.other.updateTaskText(projectId, ids[3]!, 'Gamma (remote text)');
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.read('p.md')).toMatch(/- \[x\] Gamma \(remote text\) \^tk-\w+\n {2}a note written in Taskade/);
    expect(await remoteOutline(w.client, projectId)).toContain('[x] Gamma (remote text)');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().writes).toBe(0);
  });

  it('a conflict keeps both values: remote wins on the task, the local value stays visible, exit 3 until resolved', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    edit(w, 'Beta', 'Beta (local)');
    await w.other.updateTaskText(projectId, ids[2]!, 'Beta (remote)');
    const r = await w.sync();
    expect(r.exitCode).toBe(3);
    expect(r.outcome).toBe('conflicts');
    expect(r.files[0]!.conflicts).toEqual([
      expect.objectContaining({ field: 'text', local: 'Beta (local)', remote: 'Beta (remote)', winner: 'remote' }),
    ]);
    const text = w.read('p.md');
    const line = text.split('\n').find((l) => l.includes('Beta (remote)'))!;
    expect(line).toContain('==⚠ conflict text: "Beta (local)"=='); // the losing value, beside the task, visible
    expect(await remoteOutline(w.client, projectId)).toContain('Beta (remote)');
    // still pending while the marker is in the file
    expect((await w.sync()).exitCode).toBe(3);
    // the user resolves it by editing the marker away (keeping the remote text)
    w.write('p.md', text.replace(line, line.replace(/\s*==⚠ conflict .*==/, '')));
    const resolved = await w.sync();
    expect(resolved.exitCode).toBe(0);
    expect(w.journal.listConflicts()).toEqual([]);
  });

  it('a local delete deletes remotely; a remote delete removes the item locally', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    const text = w.read('p.md');
    w.write(
      'p.md',
      text
        .split('\n')
        .filter((l) => !l.includes('Gamma'))
        .join('\n'),
    );
    await w.other.deleteTask(projectId, ids[2]!); // Beta, remotely
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(['Alpha', '  Alpha child']);
    expect(fileOutline(w.read('p.md'))).toEqual(['Alpha', '  Alpha child']);
  });

  it('a local move and a remote reparent both land, with the move endpoint (no delete + create)', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    // locally: Gamma moves before Alpha
    const lines = w.read('p.md').split('\n');
    const gamma = lines.findIndex((l) => l.includes('Gamma'));
    const [g] = lines.splice(gamma, 1);
    lines.splice(
      lines.findIndex((l) => l.includes('Alpha')),
      0,
      g!,
    );
    w.write('p.md', lines.join('\n'));
    // remotely: Beta goes under Alpha, after Alpha child
    await w.other.moveTask(projectId, ids[2]!, { taskId: ids[1]!, position: 'afterend' });
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    const stats = w.sim.stats();
    expect(stats.requests['POST /projects/{projectId}/tasks/'] ?? 0).toBe(0);
    expect(stats.requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
    expect(stats.requests['PUT /projects/{projectId}/tasks/{taskId}/move']).toBe(1);
    const expected = ['Gamma', 'Alpha', '  Alpha child', '  Beta'];
    expect(await remoteOutline(w.client, projectId)).toEqual(expected);
    expect(fileOutline(w.read('p.md'))).toEqual(expected);
  });

  it('with the journal lost, items on both sides are matched by content and nothing is deleted', async () => {
    w = await startWorld();
    const { projectId } = await linked(w);
    edit(w, 'Gamma', 'Gamma edited while the journal was lost');
    w.journal.close();
    rmSync(w.config.stateDir, { recursive: true, force: true });
    w.reopen();
    const r = await w.sync();
    expect(r.files[0]!.outcome).not.toBe('failed');
    const remote = await remoteOutline(w.client, projectId);
    expect(remote).toEqual(expect.arrayContaining(['Alpha', '  Alpha child', 'Beta']));
    expect(remote.filter((t) => t === 'Alpha')).toHaveLength(1);
    expect(w.read('p.md')).toContain('Gamma edited while the journal was lost');
  });
});
