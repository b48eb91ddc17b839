import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/simulator/index.js';
import { startWorld, writesOf, type World } from '../e2e/harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Runs `move` once, right after the first page of the next task-list read is answered. */
function betweenPages(): { arm(move: () => void): void; hook(e: Exchange): void } {
  let pending: (() => void) | null = null;
  return {
    arm(move) {
      pending = move;
    },
    hook(e) {
      if (pending !== null && e.method === 'GET' && e.route === '/projects/{projectId}/tasks' && e.status === 200) {
        const move = pending;
        pending = null;
        move();
      }
    },
  };
}

describe('a task list read page by page while a task moves', () => {
  /** After a page that shows task 1, another client moves it: to the end, or back to the start (`every`). */
  const setup = async (every: boolean) => {
    let armed = true;
    let atStart = true;
    let ids: string[] = [];
    let projectId = '';
    w = await startWorld({
      sim: {
        onExchange: (e) => {
          if (!armed || e.method !== 'GET' || e.route !== '/projects/{projectId}/tasks' || e.status !== 200) return;
          const items = (e.responseBody as { items: Array<{ id: string }> }).items;
          if (!items.some((t) => t.id === ids[1])) return;
          armed = every;
          const target = atStart
            ? { taskId: ids.at(-1)!, position: 'afterend' as const }
            : { taskId: ids[0]!, position: 'afterend' as const };
          atStart = !atStart;
          w!.sim.moveTask(projectId, ids[1]!, target);
        },
      },
    });
    const seeded = w.sim.seedProject({ name: 'P', tasks: Array.from({ length: 12 }, (_, i) => ({ text: `t${i}` })) });
    ids = seeded.taskIds;
    projectId = seeded.projectId;
    return projectId;
  };

  it('is read once more when a task shows up on two pages, and the second read is the list', async () => {
    const projectId = await setup(false);
    w!.sim.resetStats();
    const list = await w!.client.listTasks(projectId, { pageSize: 5 });
    expect(list.tasks.map((t) => t.text)).toEqual(['t0', ...Array.from({ length: 10 }, (_, i) => `t${i + 2}`), 't1']);
    // 3 pages (the move is seen twice), then 3 pages again.
    expect(w!.sim.stats().requests['GET /projects/{projectId}/tasks']).toBe(6);
  });

  it('that keeps changing is a SERVER error after the second read, never a list', async () => {
    const projectId = await setup(true);
    await expect(w!.client.listTasks(projectId, { pageSize: 5 })).rejects.toMatchObject({
      code: 'SERVER',
      message: expect.stringContaining('the task list changed while it was read page by page, twice'),
    });
  });
});

describe('a task list read page by page while the task at the cursor moves back to the top', () => {
  it('leaves a whole page of tasks already listed: read once more, and the second read is the list', async () => {
    let armed = false;
    let ids: string[] = [];
    let projectId = '';
    w = await startWorld({
      sim: {
        onExchange: (e) => {
          if (!armed || e.method !== 'GET' || e.route !== '/projects/{projectId}/tasks' || e.status !== 200) return;
          const items = (e.responseBody as { items: Array<{ id: string }> }).items;
          if (items.at(-1)?.id !== ids[8]) return;
          armed = false;
          // The page ends on t8 (the cursor): t8 moves before t0, so after it come t0..t4, all read.
          w!.sim.moveTask(projectId, ids[8]!, { taskId: ids[0]!, position: 'beforebegin' });
        },
      },
    });
    ({ projectId, taskIds: ids } = w.sim.seedProject({
      name: 'P',
      tasks: Array.from({ length: 12 }, (_, i) => ({ text: `t${i}` })),
    }));
    w.sim.resetStats();
    armed = true;
    const list = await w.client.listTasks(projectId, { pageSize: 5 });
    expect(list.tasks.map((t) => t.text)).toEqual(['t8', ...[0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11].map((i) => `t${i}`)]);
    // 3 pages (the third all repeats), then 3 pages again.
    expect(w.sim.stats().requests['GET /projects/{projectId}/tasks']).toBe(6);
  });
});

describe('a remote move while a project of more than 1,000 tasks is read page by page', () => {
  it('with a local edit inside the moved subtree does not duplicate the subtree', async () => {
    const hook = betweenPages();
    w = await startWorld({ sim: { onExchange: (e) => hook.hook(e) } });
    const tasks = Array.from({ length: 1100 }, (_, i) => ({ text: `task ${i}` }));
    tasks.splice(1050, 0, { text: 'Group', children: [{ text: 'child a' }, { text: 'child b' }] } as never);
    const { projectId, taskIds } = w.sim.seedProject({ name: 'Big', tasks });
    w.write('big.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Big\n\n`);
    expect((await w.sync()).exitCode).toBe(0);
    expect(w.read('big.md')).toContain('child a ^tk-');

    // Edit inside the subtree; meanwhile a colleague moves the subtree to the top (page 1).
    w.write('big.md', w.read('big.md').replace('- [ ] child a ^tk-', '- [ ] child a (edited) ^tk-'));
    const group = taskIds[1050]!;
    hook.arm(() => w!.sim.moveTask(projectId, group, { taskId: taskIds[0]!, position: 'beforebegin' }));
    await w.sync();
    await w.sync();

    const texts = (await w.other.listTasks(projectId)).tasks.map((t) => t.text);
    expect(texts.filter((t) => t === 'Group')).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('child a'))).toEqual(['child a (edited)']);
    expect(texts.filter((t) => t === 'child b')).toHaveLength(1);
    expect(texts).toHaveLength(1103);
    expect(w.read('big.md').match(/- \[ \] Group/g)).toHaveLength(1);
    w.sim.resetStats();
    expect((await w.sync()).exitCode).toBe(0);
    expect(writesOf(w.sim)).toBe(0);
  });
});
