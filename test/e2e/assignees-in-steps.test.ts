/**
 * An assignee change takes several requests (one DELETE per handle that goes, then one PUT): a
 * run that stops between them leaves Taskade with a set nobody chose. The next run recognises it
 * as its own unfinished write and finishes it — no conflict, the file's set on both sides — while
 * a set someone else chose is still a remote edit (issue 9, seed 1090922982).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce } from '../../src/engine/index.js';
import { TaskadeClient } from '../../src/taskade/index.js';
import { fastQueue, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const DELETE_ROUTE = '/projects/{projectId}/tasks/{taskId}/assignees/{assigneeHandle}';
const PUT_ROUTE = '/projects/{projectId}/tasks/{taskId}/assignees';

/** A synced task assigned to alice and bob; the file then assigns it to `to` (sim-owner) only. */
async function reassigned(world: World, to = '@sim-owner'): Promise<{ projectId: string; taskId: string }> {
  const { projectId, taskIds } = world.sim.seedProject({
    name: 'P',
    tasks: [{ text: 'Ship it', assignees: ['alice', 'bob'] }],
  });
  world.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n`);
  expect((await world.sync()).exitCode).toBe(0);
  const before = world.read('p.md');
  expect(before).toMatch(/Ship it @alice @bob \^tk-/);
  world.write('p.md', before.replace(' @alice @bob', to === '' ? '' : ` ${to}`));
  return { projectId, taskId: taskIds[0]! };
}

/** The sync after the interrupted one: exit 0, @sim-owner only, on both sides, and then nothing to do. */
async function finished(world: World, projectId: string, taskId: string): Promise<void> {
  world.sim.resetStats();
  const r = await world.sync();
  expect(r.exitCode, JSON.stringify(r.files[0])).toBe(0);
  expect(r.files[0]!.conflicts).toEqual([]);
  // The list, the task's set (the write left {bob}), then the rest of the write: bob goes, sim-owner comes.
  expect(world.sim.stats().requests).toEqual({
    'GET /projects/{projectId}/tasks': 1,
    'GET /projects/{projectId}/tasks/{taskId}/assignees': 1,
    [`DELETE ${DELETE_ROUTE}`]: 1,
    'PUT /projects/{projectId}/tasks/{taskId}/assignees': 1,
  });
  expect(world.journal.listAssigneeWrites(projectId)).toEqual([]);
  expect(await world.other.getAssignees(projectId, taskId)).toEqual(['sim-owner']);
  expect(world.read('p.md')).toMatch(/Ship it @sim-owner \^tk-[A-Za-z0-9]+\n/);
  expect(world.read('p.md')).not.toContain('@alice');
  expect(world.journal.getBase(projectId)[0]!.assignees).toEqual(['sim-owner']);
  world.sim.resetStats();
  const again = await world.sync();
  expect(again.exitCode).toBe(0);
  expect(world.sim.stats().writes).toBe(0);
}

describe('e2e: an assignee change cut between its requests is finished by the next run', () => {
  it('killed right after the first DELETE: the next run finishes the write (no conflict)', async () => {
    w = await startWorld();
    const { projectId, taskId } = await reassigned(w);
    // A client that dies right after Taskade applied the first DELETE: nothing after it runs.
    const crashing = new TaskadeClient({ baseUrl: w.sim.baseUrl, token: w.sim.token, queue: fastQueue() });
    const remove = crashing.deleteAssignee.bind(crashing);
    crashing.deleteAssignee = async (...args) => {
      await remove(...args);
      throw new Error('process killed');
    };
    await expect(
      syncOnce({ root: w.root, config: w.config, journal: w.journal, client: crashing, logger: { event: () => {} } }),
    ).rejects.toThrow('process killed');
    await crashing.close();
    expect(await w.other.getAssignees(projectId, taskId)).toEqual(['bob']);
    w.reopen(); // a new process
    await finished(w, projectId, taskId);
  });

  it('a set someone else chose meanwhile, outside what the write could leave, is a remote edit: a conflict', async () => {
    w = await startWorld({ queue: { maxRetries: 0 } });
    const { projectId, taskId } = await reassigned(w, '');
    // The file unassigns both: DELETE alice (its answer lost), DELETE bob never sent.
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'DELETE', route: DELETE_ROUTE, count: 1 }]);
    expect((await w.sync()).files[0]!.outcome).toBe('failed');
    w.sim.setFaults([]);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([
      expect.objectContaining({ taskId, from: ['alice', 'bob'], to: [] }),
    ]);
    await w.other.putAssignees(projectId, taskId, ['bob', 'sim-owner']);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(3);
    expect(r.files[0]!.conflicts).toEqual([
      expect.objectContaining({ field: 'assignees', base: ['alice', 'bob'], local: [], remote: ['bob', 'sim-owner'] }),
    ]);
    expect(w.sim.stats().writes).toBe(0);
    expect(await w.other.getAssignees(projectId, taskId)).toEqual(['bob', 'sim-owner']);
    // Remote wins (the default); the file's [] stays in the marker.
    expect(w.read('p.md')).toMatch(/Ship it ==⚠ conflict assignees: none== @bob @sim-owner \^tk-/);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([]);
  });

  it('the first DELETE applied but its answer lost: the next run finishes the write (no conflict)', async () => {
    w = await startWorld({ queue: { maxRetries: 0 } });
    const { projectId, taskId } = await reassigned(w);
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'DELETE', route: DELETE_ROUTE, count: 1 }]);
    const first = await w.sync();
    expect(first.files[0]!.outcome).toBe('failed');
    expect(await w.other.getAssignees(projectId, taskId)).toEqual(['bob']);
    w.sim.setFaults([]);
    await finished(w, projectId, taskId);
  });

  it('the last request (the PUT) applied but its answer lost: the next run finds the set written and sends nothing', async () => {
    w = await startWorld({ queue: { maxRetries: 0 } });
    const { projectId, taskId } = await reassigned(w);
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'PUT', route: PUT_ROUTE, count: 1 }]);
    w.sim.resetStats();
    expect((await w.sync()).files[0]!.outcome).toBe('failed');
    w.sim.setFaults([]);
    // The list, the members (a new handle in the file), the task's set, then DELETE alice, DELETE
    // bob and the PUT: all applied, the last answer lost.
    expect(w.sim.stats().requests).toEqual({
      'GET /projects/{projectId}/tasks': 1,
      'GET /projects/{projectId}/members': 1,
      'GET /projects/{projectId}/tasks/{taskId}/assignees': 1,
      [`DELETE ${DELETE_ROUTE}`]: 2,
      [`PUT ${PUT_ROUTE}`]: 1,
    });
    expect(await w.other.getAssignees(projectId, taskId)).toEqual(['sim-owner']);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([
      expect.objectContaining({ taskId, from: ['alice', 'bob'], to: ['sim-owner'] }),
    ]);

    // The task's set is read (the write recorded), found to be the file's: nothing to send, and
    // the record ends with the base holding that set.
    w.sim.resetStats();
    const next = await w.sync();
    expect(next.exitCode, JSON.stringify(next.files[0])).toBe(0);
    expect(next.files[0]!.conflicts).toEqual([]);
    expect(w.sim.stats().requests).toEqual({
      'GET /projects/{projectId}/tasks': 1,
      'GET /projects/{projectId}/tasks/{taskId}/assignees': 1,
    });
    expect(w.sim.stats().writes).toBe(0);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([]);
    expect(w.journal.getBase(projectId)[0]!.assignees).toEqual(['sim-owner']);
    expect(w.read('p.md')).toMatch(/Ship it @sim-owner \^tk-[A-Za-z0-9]+\n/);

    // Nothing left to finish: the list is all the next run reads.
    w.sim.resetStats();
    expect((await w.sync()).exitCode).toBe(0);
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1 });
  });

  it('the run that reads the set ends the record, also with the file held: a set chosen in Taskade after it is an edit', async () => {
    w = await startWorld({ queue: { maxRetries: 0 } });
    const { projectId, taskId } = await reassigned(w);
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'PUT', route: PUT_ROUTE, count: 1 }]);
    expect((await w.sync()).files[0]!.outcome).toBe('failed');
    w.sim.setFaults([]);
    expect(w.journal.listAssigneeWrites(projectId)).toHaveLength(1);

    // Taskade renames the task: the next run has the file to write, but the file is being edited.
    await w.other.updateTaskText(projectId, taskId, 'Ship it now');
    const file = w.read('p.md');
    w.sim.resetStats();
    const held = await w.sync({ holdLocalWrite: () => true });
    expect(held.files[0]!.outcome).toBe('held');
    // The list, then the renamed task's note, date and assignees (its set among them): in range.
    expect(w.sim.stats().requests).toEqual({
      'GET /projects/{projectId}/tasks': 1,
      'GET /projects/{projectId}/tasks/{taskId}/note': 1,
      'GET /projects/{projectId}/tasks/{taskId}/date': 1,
      'GET /projects/{projectId}/tasks/{taskId}/assignees': 1,
    });
    expect(w.read('p.md')).toBe(file);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([]);
    expect(w.journal.getBase(projectId)[0]!.assignees).toEqual(['sim-owner']);

    // Someone assigns alice alone, a set the old write could have left: now Taskade's edit.
    await w.other.putAssignees(projectId, taskId, ['alice']);
    w.sim.resetStats();
    const next = await w.sync();
    expect(next.exitCode, JSON.stringify(next.files[0])).toBe(0);
    expect(next.files[0]!.conflicts).toEqual([]);
    expect(w.sim.stats().writes).toBe(0);
    expect(await w.other.getAssignees(projectId, taskId)).toEqual(['alice']);
    expect(w.read('p.md')).toMatch(/Ship it now @alice \^tk-[A-Za-z0-9]+\n/);
  });
});
