import { afterEach, describe, expect, it } from 'vitest';
import { remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

describe('e2e: identity that survives (issue 9)', () => {
  it('an item whose ^tk- id was dropped is its task again: zero creates, zero deletes, the id back on the line', async () => {
    w = await startWorld();
    const { projectId, taskIds } = w.sim.seedProject({
      name: 'P',
      tasks: [{ text: 'Alpha', children: [{ text: 'Alpha child' }] }, { text: 'Beta' }],
    });
    w.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n`);
    expect((await w.sync()).exitCode).toBe(0);
    const synced = w.read('p.md');
    // An editor drops the id of a task with a child and of the child.
    const dropped = synced.replace(/(- \[ \] Alpha) \^tk-\w+/, '$1').replace(/(- \[ \] Alpha child) \^tk-\w+/, '$1');
    expect(dropped.match(/\^tk-/g)).toHaveLength(1);
    w.write('p.md', dropped);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1 });
    expect(r.requests).toEqual({ reads: 1, writes: 0 });
    expect(w.read('p.md')).toBe(synced);
    expect(await remoteOutline(w.client, projectId)).toEqual(['Alpha', '  Alpha child', 'Beta']);
    expect(
      w.journal
        .getBase(projectId)
        .map((t) => t.id)
        .sort(),
    ).toEqual([...taskIds].sort());
  });
});
