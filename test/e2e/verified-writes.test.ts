import { afterEach, describe, expect, it } from 'vitest';
import { collectStatus, renderStatus } from '../../src/daemon/status.js';
import { remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const NOTE = 'GET /projects/{projectId}/tasks/{taskId}/note';
const DATE = 'GET /projects/{projectId}/tasks/{taskId}/date';
const ASSIGNEES = 'GET /projects/{projectId}/tasks/{taskId}/assignees';

/** A synced project: Alpha (with a note and a child), Beta (with a date), Gamma. */
async function linked(world: World): Promise<{ projectId: string; ids: string[] }> {
  const { projectId, taskIds } = world.sim.seedProject({
    name: 'P',
    tasks: [
      { text: 'Alpha', note: 'alpha note', children: [{ text: 'Alpha child' }] },
      { text: 'Beta', date: { date: '2026-03-01' } },
      { text: 'Gamma', assignees: ['alice'] },
    ],
  });
  world.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n`);
  expect((await world.sync()).exitCode).toBe(0);
  return { projectId, ids: taskIds };
}

function edit(world: World, from: string | RegExp, to: string): void {
  const before = world.read('p.md');
  const after = before.replace(from, to);
  expect(after, `edit of ${String(from)} applies`).not.toBe(before);
  world.write('p.md', after);
}

describe('e2e: verified writes — nothing remote is overwritten or deleted unread', () => {
  it('one local note edit costs its list read + 1 GET of that note + 1 PUT', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    edit(w, 'alpha note', 'alpha note, edited here');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests).toEqual({
      'GET /projects/{projectId}/tasks': 1,
      [NOTE]: 1,
      'PUT /projects/{projectId}/tasks/{taskId}/note': 1,
    });
    expect(await w.other.getNote(projectId, ids[0]!)).toBe('alpha note, edited here');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1 });
  });

  it('a note edited on both sides is a conflict (exit 3), not a silent overwrite: both values kept', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    edit(w, 'alpha note', 'alpha note (local)');
    await w.other.putNote(projectId, ids[0]!, 'alpha note (remote)');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(3);
    expect(r.files[0]!.conflicts).toEqual([
      expect.objectContaining({ field: 'note', local: 'alpha note (local)', remote: 'alpha note (remote)' }),
    ]);
    expect(w.sim.stats().writes).toBe(0);
    expect(w.sim.stats().requests[NOTE]).toBe(1);
    // Remote wins (the default): the task keeps its value, the file shows both.
    expect(await w.other.getNote(projectId, ids[0]!)).toBe('alpha note (remote)');
    expect(w.read('p.md')).toContain('alpha note (remote)');
    expect(w.read('p.md')).toContain('alpha note (local)');
  });

  it('with conflictWinner local, the local note goes up and the remote one stays in the file', async () => {
    w = await startWorld({ config: { conflictWinner: 'local' } });
    const { projectId, ids } = await linked(w);
    edit(w, 'alpha note', 'alpha note (local)');
    await w.other.putNote(projectId, ids[0]!, 'alpha note (remote)');
    const r = await w.sync();
    expect(r.exitCode).toBe(3);
    expect(await w.other.getNote(projectId, ids[0]!)).toBe('alpha note (local)');
    expect(w.read('p.md')).toContain('alpha note (remote)');
  });

  it('a date and an assignee list edited on both sides are conflicts too', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    edit(w, '2026-03-01', '2026-04-01');
    edit(w, /@alice/, '@bob');
    await w.other.putDate(projectId, ids[2]!, { start: { date: '2026-05-01' } });
    await w.other.putAssignees(projectId, ids[3]!, ['sim-owner']);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(3);
    expect(r.files[0]!.conflicts.map((c) => c.field).sort()).toEqual(['assignees', 'due']);
    expect(w.sim.stats().requests[DATE]).toBe(1);
    expect(w.sim.stats().requests[ASSIGNEES]).toBe(1);
    expect(w.sim.stats().writes).toBe(0);
    expect((await w.other.getDate(projectId, ids[2]!))?.start.date).toBe('2026-05-01');
    expect(await w.other.getAssignees(projectId, ids[3]!)).toEqual(['sim-owner']);
  });

  it('a task deleted in the file whose note was just edited in Taskade comes back with its subtree', async () => {
    w = await startWorld();
    const { projectId, ids } = await linked(w);
    const text = w.read('p.md');
    w.write(
      'p.md',
      text
        .split('\n')
        .filter((l) => !/Alpha|alpha note/.test(l))
        .join('\n'),
    );
    await w.other.putNote(projectId, ids[0]!, 'alpha note, edited in Taskade');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}']).toBeUndefined();
    expect(w.sim.stats().writes).toBe(0);
    // One set of sub-resource reads per task it was about to delete: Alpha and its child.
    expect(w.sim.stats().requests[NOTE]).toBe(2);
    expect(await remoteOutline(w.client, projectId)).toEqual(['Alpha', '  Alpha child', 'Beta', 'Gamma']);
    const back = w.read('p.md');
    expect(back).toMatch(/- \[ \] Alpha \^tk-\w+\n {2}alpha note, edited in Taskade\n {2}- \[ \] Alpha child \^tk-/);
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().writes).toBe(0);
  });

  it('a delete with nothing changed in Taskade reads the subtree once, then deletes it in one request', async () => {
    w = await startWorld();
    const { projectId } = await linked(w);
    const text = w.read('p.md');
    w.write(
      'p.md',
      text
        .split('\n')
        .filter((l) => !/Alpha|alpha note/.test(l))
        .join('\n'),
    );
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests).toEqual({
      'GET /projects/{projectId}/tasks': 1,
      [NOTE]: 2,
      [DATE]: 2,
      [ASSIGNEES]: 2,
      'DELETE /projects/{projectId}/tasks/{taskId}': 1,
    });
    expect(await remoteOutline(w.client, projectId)).toEqual(['Beta', 'Gamma']);
  });
});

describe('e2e: sections keep what Taskade holds on them', () => {
  it('a note and a completion set on a section in Taskade stay there over two syncs, and status shows them', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'S' });
    const file = `---\ntaskade:\n  project: ${projectId}\n---\n# S\n\n## This week\n\n- [ ] Ship it\n`;
    w.write('s.md', file);
    expect((await w.sync()).exitCode).toBe(0);
    const section = (await w.other.listTasks(projectId)).tasks.find((t) => t.text === 'This week')!;
    await w.other.putNote(projectId, section.id, 'a note on the section');
    await w.other.setCompleted(projectId, section.id, true);
    const synced = w.read('s.md');
    for (let pass = 0; pass < 2; pass += 1) {
      w.sim.resetStats();
      const r = await w.sync({ subresourceReads: new Map([[projectId, [section.id]]]) });
      expect(r.exitCode).toBe(0);
      expect(w.sim.stats().writes).toBe(0);
    }
    const after = (await w.other.listTasks(projectId)).tasks.find((t) => t.id === section.id)!;
    expect(after.completed).toBe(true);
    expect(await w.other.getNote(projectId, section.id)).toBe('a note on the section');
    // The heading is as written; its values live in the journal.
    expect(w.read('s.md')).toBe(synced);
    expect(w.read('s.md')).toContain('## This week\n');
    const base = w.journal.getBase(projectId).find((t) => t.id === section.id)!;
    expect(base).toMatchObject({ kind: 'section', completed: true, note: 'a note on the section' });
    const status = collectStatus(w.config, w.journal, Date.now());
    expect(status.files[0]!.sections).toEqual([
      {
        taskId: section.id,
        text: 'This week',
        completed: true,
        note: 'a note on the section',
        due: null,
        assignees: [],
      },
    ]);
    expect(renderStatus(status, Date.now())).toContain(
      'section “This week” in Taskade: completed, note "a note on the section" (a heading cannot show it; kept)',
    );
  });
});
