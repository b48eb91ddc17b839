import { afterEach, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/engine/index.js';
import type { SeedTask } from '../../src/simulator/index.js';
import { fileOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const LIST = 'GET /projects/{projectId}/tasks';

/** 500 tasks: 50 parents of 9 children; every tenth parent has a note, every fifth child a date. */
function project(): SeedTask[] {
  return Array.from({ length: 50 }, (_, i) => ({
    text: `Parent ${i}`,
    ...(i % 10 === 0 ? { note: `note of parent ${i}` } : {}),
    children: Array.from({ length: 9 }, (_, j) => ({
      text: `Child ${i}.${j}`,
      ...(j % 5 === 0 ? { date: { date: '2026-12-24' } } : {}),
    })),
  }));
}

describe('e2e: a first sync of an existing project streams — the outline first, then the details', () => {
  it('writes every task after one list read, then reads each note, date and assignee list once, in a few passes', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Big', tasks: project() });
    w.write('big.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Big\n`);
    w.sim.resetStats();
    let outlineAtFirstProgress: string[] | null = null;
    let requestsAtFirstProgress = -1;
    const progress: LogEvent[] = [];
    w.onEvent = (e) => {
      if (e.type !== 'progress') return;
      progress.push(e);
      if (outlineAtFirstProgress === null) {
        outlineAtFirstProgress = fileOutline(w.read('big.md'));
        requestsAtFirstProgress = w.sim.stats().total;
      }
    };
    const r = await w.sync({ streamDetails: true });
    expect(r.exitCode).toBe(0);
    // The outline was in the file after the one list read, before any detail was read.
    expect(requestsAtFirstProgress).toBe(1);
    expect(outlineAtFirstProgress).toHaveLength(500);
    // Each sub-resource read once, the list once (the run changed nothing in Taskade), no writes.
    expect(w.sim.stats().requests).toEqual({
      [LIST]: 1,
      'GET /projects/{projectId}/tasks/{taskId}/note': 500,
      'GET /projects/{projectId}/tasks/{taskId}/date': 500,
      'GET /projects/{projectId}/tasks/{taskId}/assignees': 500,
    });
    expect(r.requests).toEqual({ reads: 1501, writes: 0 });
    // Progress from 0 to 500 in 10 steps of 50 tasks, and the end.
    expect(progress.map((e) => e.data?.done)).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
    const text = w.read('big.md');
    expect(text).toContain('- [ ] Parent 40 ^tk-');
    expect(text).toMatch(/Parent 40 \^tk-\w+\n {2}note of parent 40\n/);
    expect(text.match(/📅 2026-12-24/g)).toHaveLength(100);
    w.sim.resetStats();
    const again = await w.sync({ streamDetails: true });
    expect(again.files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().requests).toEqual({ [LIST]: 1 });
  });

  it('an item the file already has is read at once, so its note is merged, not overwritten', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({
      name: 'P',
      tasks: [{ text: 'Shared', note: 'remote note' }, { text: 'Only remote' }],
    });
    w.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n\n- [ ] Shared\n  local note\n`);
    const r = await w.sync({ streamDetails: true });
    // No journal: the two notes differ, a conflict (remote wins), both values kept.
    expect(r.exitCode).toBe(3);
    expect(r.files[0]!.conflicts.map((c) => [c.field, c.local, c.remote])).toEqual([
      ['note', 'local note', 'remote note'],
    ]);
    const text = w.read('p.md');
    expect(text).toContain('remote note');
    expect(text).toContain('local note');
    expect(text).toMatch(/- \[ \] Only remote \^tk-/);
  });
});
