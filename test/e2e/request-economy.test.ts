import { afterEach, describe, expect, it } from 'vitest';
import type { SeedTask } from '../../src/simulator/index.js';
import { remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const CREATE = 'POST /projects/{projectId}/tasks/';

/** 500 tasks: 50 parents of 9 children each. */
function bigTree(): SeedTask[] {
  return Array.from({ length: 50 }, (_, i) => ({
    text: `Parent ${i}`,
    children: Array.from({ length: 9 }, (_, j) => ({ text: `Child ${i}.${j}` })),
  }));
}

describe('e2e: request economy (exact counts from the simulator)', () => {
  it('nothing changed on either side: only the task-list reads, zero writes, the file untouched', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Big', tasks: bigTree().slice(0, 10) });
    w.write('big.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Big\n`);
    await w.sync();
    const text = w.read('big.md');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats()).toMatchObject({ reads: 1, writes: 0, total: 1 });
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1 });
    expect(r.requests).toEqual({ reads: 1, writes: 0 });
    expect(w.read('big.md')).toBe(text);
  });

  it('reads one page per 1,000 tasks (1,001 tasks: two pages)', async () => {
    w = await startWorld();
    const tasks = Array.from({ length: 1001 }, (_, i) => ({ text: `T${i}` }));
    const { projectId } = w.sim.seedProject({ name: 'Huge', tasks });
    w.write('huge.md', `---\ntaskade:\n  project: ${projectId}\n---\n`);
    await w.sync();
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 2 });
  });

  it('editing the text of one task in a 500-task file makes exactly one write request', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Big', tasks: bigTree() });
    w.write('big.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Big\n`);
    await w.sync();
    w.write('big.md', w.read('big.md').replace('Child 17.3 ', 'Child 17.3 (edited) '));
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().writes).toBe(1);
    expect(w.sim.stats().requests['PUT /projects/{projectId}/tasks/{taskId}']).toBe(1);
    expect(w.sim.stats().reads).toBe(1);
    expect(await remoteOutline(w.client, projectId)).toContain('  Child 17.3 (edited)');
  });

  it('pushing a new file of N tasks: at most ⌈N/20⌉ creates per tree level, plus one request per non-default sub-resource', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Empty' });
    const top = 45;
    const lines: string[] = [];
    for (let i = 0; i < top; i++) {
      lines.push(`- [ ] Top ${i}`);
      if (i < 3) for (let j = 0; j < 25; j++) lines.push(`  - [ ] Sub ${i}.${j}`);
    }
    // non-default sub-resources: 2 completed, 1 note, 1 date, 1 assignee set
    lines[0] = '- [x] Top 0 @bob';
    lines[1] = '  - [x] Sub 0.0 📅 2026-03-01';
    lines.splice(2, 0, '    the note of Sub 0.0');
    w.write('new.md', `---\ntaskade:\n  project: ${projectId}\n---\n# New\n\n${lines.join('\n')}\n`);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    const stats = w.sim.stats();
    const levelOne = Math.ceil(top / 20); // 3
    const levelTwo = 3 * Math.ceil(25 / 20); // three parents of 25 children: 2 requests each
    expect(stats.requests[CREATE]).toBeLessThanOrEqual(levelOne + levelTwo);
    expect(stats.requests[CREATE]).toBe(Math.ceil(120 / 20)); // level two fills the requests level one leaves
    const subresources = 2 /* complete */ + 1 /* note */ + 1 /* date */ + 1; /* assignees */
    expect(stats.writes).toBe(stats.requests[CREATE]! + subresources);
    // The task list, and the members once: `@bob` is an assignee only if bob is a member.
    expect(stats.reads).toBe(2);
    expect(stats.requests['GET /projects/{projectId}/members']).toBe(1);
    const outline = await remoteOutline(w.client, projectId);
    expect(outline).toHaveLength(top + 75);
    expect(outline.slice(0, 3)).toEqual(['[x] Top 0', '  [x] Sub 0.0', '  Sub 0.1']);
    expect(outline.at(-1)).toBe('Top 44');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().writes).toBe(0);
  });

  it('a new 1,020-item tree of three levels: ⌈1,020/20⌉ = 51 creates (at most ⌈n/20⌉ per level), whatever the parents', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Empty' });
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      lines.push(`- [ ] Top ${i}`);
      for (let j = 0; j < 3; j++) {
        lines.push(`  - [ ] Mid ${i}.${j}`);
        for (let k = 0; k < 10; k++) lines.push(`    - [ ] Leaf ${i}.${j}.${k}`);
      }
    }
    w.write('tree.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Tree\n\n${lines.join('\n')}\n`);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    // Batched per parent this took 2 + 30 + 90 = 122 creates. By level it is at most
    // ⌈30/20⌉ + ⌈90/20⌉ + ⌈900/20⌉ = 52; the second request's 10 free places take the first
    // 10 tasks of the next level (their parents went in the first request), so every request is full.
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1, [CREATE]: 51 });
    expect(r.requests).toEqual({ reads: 1, writes: 51 });
    const outline = await remoteOutline(w.client, projectId);
    expect(outline).toHaveLength(1020);
    expect(outline.slice(0, 3)).toEqual(['Top 0', '  Mid 0.0', '    Leaf 0.0.0']);
    expect(outline.slice(-2)).toEqual(['    Leaf 29.2.8', '    Leaf 29.2.9']);
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats()).toMatchObject({ reads: 2, writes: 0 }); // two list pages
  });

  it('new items between existing ones under several parents share requests and land in place', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({
      name: 'Mixed',
      tasks: [
        { text: 'A', children: [{ text: 'A1' }, { text: 'A2' }] },
        { text: 'B', children: [{ text: 'B1' }, { text: 'B2' }] },
      ],
    });
    w.write('mixed.md', `---\ntaskade:\n  project: ${projectId}\n---\n`);
    await w.sync();
    const text = w
      .read('mixed.md')
      .replace(/(- \[ \] A1[^\n]*\n)/, '$1  - [ ] A1.5\n')
      .replace(/(- \[ \] A2[^\n]*\n)/, '$1  - [ ] A3\n')
      .replace(/(- \[ \] B[^1-9\n][^\n]*\n)/, '$1  - [ ] B0\n')
      .replace(/(- \[ \] B2[^\n]*\n?)/, '$1  - [ ] B3\n    - [ ] B3a\n');
    w.write('mixed.md', text);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    // Level one: A1.5, A3, B0, B3 in one request; level two: B3a.
    expect(w.sim.stats().requests[CREATE]).toBe(2);
    expect(await remoteOutline(w.client, projectId)).toEqual([
      'A',
      '  A1',
      '  A1.5',
      '  A2',
      '  A3',
      'B',
      '  B0',
      '  B1',
      '  B2',
      '  B3',
      '    B3a',
    ]);
  });
});

describe('e2e: assignees are member handles; the members read is cached in the journal', () => {
  const MEMBERS = 'GET /projects/{projectId}/members';
  const DAY = 24 * 60 * 60 * 1000;

  it('“thanks @name” stays text; @bob (a member) is an assignee; the members are read once, then only for a new @word or after a day', async () => {
    w = await startWorld(); // the simulator's members: sim-owner, alice, bob
    const { projectId } = w.sim.seedProject({ name: 'Changelog' });
    const body = '- Fixed the parser, thanks @name\n- [ ] Review @bob\n- [ ] Ship on @2026-12-01\n';
    w.write('c.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Changelog\n\n${body}`);
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests[MEMBERS]).toBe(1);
    expect(w.sim.stats().requests['PUT /projects/{projectId}/tasks/{taskId}/assignees']).toBe(1);
    const tasks = (await w.client.listTasks(projectId)).tasks;
    expect(tasks.map((t) => t.text)).toEqual(['Fixed the parser, thanks @name', 'Review', 'Ship on @2026-12-01']);
    expect(await w.client.getAssignees(projectId, tasks[1]!.id)).toEqual(['bob']);
    expect(await w.client.getAssignees(projectId, tasks[0]!.id)).toEqual([]);
    expect(w.read('c.md').replace(/ \^tk-[A-Za-z0-9]+/g, '')).toContain(body);

    // Nothing changed: no members read (bob and name are known, a member and not one).
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1 });

    // @alice is a cached member: no read. A word neither known as a member nor as not one: one
    // read, then none again.
    w.write('c.md', w.read('c.md') + '- [ ] Pair with @alice\n');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests[MEMBERS]).toBeUndefined();
    const alice = (await w.client.listTasks(projectId)).tasks.find((t) => t.text === 'Pair with')!;
    expect(await w.client.getAssignees(projectId, alice.id)).toEqual(['alice']);
    w.write('c.md', w.read('c.md') + '- Reported by @carol\n');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests[MEMBERS]).toBe(1);
    expect((await w.client.listTasks(projectId)).tasks.at(-1)!.text).toBe('Reported by @carol');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1 });

    // A day later the list is read again, once.
    const cached = w.journal.getMembers(projectId)!;
    w.journal.putMembers(projectId, { ...cached, fetchedAt: cached.fetchedAt - DAY });
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests).toEqual({ 'GET /projects/{projectId}/tasks': 1, [MEMBERS]: 1 });
  });

  it('a file without @words never reads the members', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Plain' });
    w.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Plain\n\n- [ ] a\n`);
    w.sim.resetStats();
    await w.sync();
    await w.sync();
    expect(w.sim.stats().requests[MEMBERS]).toBeUndefined();
  });
});
