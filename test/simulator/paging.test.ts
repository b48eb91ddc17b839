import { describe, expect, it } from 'vitest';
import type { SeedTask } from '../../src/simulator/index.js';
import { useCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';
import { api, outline } from './api.js';

/** 25 tasks: t0…t4, each with four children tN.0…tN.3 — pre-order is t0, t0.0, …, t0.3, t1, … */
function seed25(s: CheckedSimulator): { projectId: string; ids: string[]; texts: string[] } {
  const tasks: SeedTask[] = Array.from({ length: 5 }, (_, i) => ({
    text: `t${i}`,
    children: Array.from({ length: 4 }, (_, j) => ({ text: `t${i}.${j}` })),
  }));
  const { projectId, taskIds } = s.seedProject({ name: 'Paged', tasks });
  const texts = tasks.flatMap((t) => [t.text, ...(t.children ?? []).map((c) => c.text)]);
  return { projectId, ids: taskIds, texts };
}

const texts = (items: { text: string }[]): string[] => items.map((i) => i.text);

describe('task lists are flat, in outline pre-order, paged by task-id cursors', () => {
  const sim = useCheckedSimulator();

  it('pages forward with `after` across page boundaries, ending on a short page', async () => {
    const s = sim();
    const t = seed25(s);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const res = await api(
        s,
        'GET',
        `/projects/${t.projectId}/tasks?limit=7${after === undefined ? '' : `&after=${after}`}`,
      );
      pages++;
      seen.push(...texts(res.body.items));
      if (res.body.items.length < 7) break;
      after = res.body.items[6].id;
    }
    // 26 items with the root node: pages of 7, 7, 7, 5.
    expect(pages).toBe(4);
    expect(seen).toEqual(['Paged', ...t.texts]);
    expect(s.stats().requests['GET /projects/{projectId}/tasks']).toBe(4);
  });

  it('an exact multiple of the limit ends on an empty page', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({
      name: 'Four',
      tasks: [{ text: '1' }, { text: '2' }, { text: '3' }],
    });
    const res = await api(s, 'GET', `/projects/${projectId}/tasks?limit=4`);
    expect(res.body.items).toHaveLength(4);
    const next = await api(s, 'GET', `/projects/${projectId}/tasks?limit=4&after=${taskIds[2]}`);
    expect(next.body.items).toEqual([]);
  });

  it('`before` answers the `limit` items immediately preceding the cursor, in forward order', async () => {
    const s = sim();
    const t = seed25(s);
    const cursor = t.ids[13] as string; // t2.2
    const res = await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=5&before=${cursor}`);
    expect(texts(res.body.items)).toEqual(['t1.2', 't1.3', 't2', 't2.0', 't2.1']);
  });

  it('pages backward with `before` from the end to the start, crossing boundaries', async () => {
    const s = sim();
    const t = seed25(s);
    const last = t.ids[t.ids.length - 1] as string;
    const collected: string[][] = [];
    let before = last;
    for (;;) {
      const res = await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=6&before=${before}`);
      if (res.body.items.length === 0) break;
      collected.unshift(texts(res.body.items));
      before = res.body.items[0].id;
    }
    expect(collected.map((page) => page.length)).toEqual([1, 6, 6, 6, 6]);
    expect(collected.flat()).toEqual(['Paged', ...t.texts.slice(0, -1)]);
  });

  it('defaults to 100 items and accepts up to 1000', async () => {
    const s = sim();
    const tasks = Array.from({ length: 150 }, (_, i) => ({ text: `n${i}` }));
    const { projectId } = s.seedProject({ name: 'Big', tasks });
    expect((await api(s, 'GET', `/projects/${projectId}/tasks`)).body.items).toHaveLength(100);
    expect((await api(s, 'GET', `/projects/${projectId}/tasks?limit=1000`)).body.items).toHaveLength(151);
  });

  it('hides the root node when the switch is off: top-level tasks then have no parentId', async () => {
    const s = sim();
    s.setBehaviours({ rootNode: false });
    const t = seed25(s);
    const res = await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=2`);
    expect(res.body.items).toEqual([
      { id: t.ids[0], text: 't0', completed: false },
      { id: t.ids[1], text: 't0.0', parentId: t.ids[0], completed: false },
    ]);
    expect(await outline(s, t.projectId, { rootNode: false, pageSize: 3 })).toBe(
      t.texts.map((x) => (x.includes('.') ? `  ${x}` : x)).join('\n'),
    );
  });
});

describe('paging errors', () => {
  const sim = useCheckedSimulator();

  it.each([
    ['limit=1001', 'at most 1000'],
    ['limit=0', 'at least 1'],
    ['limit=ten', 'whole number'],
    ['after=x&before=y', 'both'],
    ['after=not-a-task', 'not-a-task'],
  ])('?%s → 400 naming the problem', async (query, fragment) => {
    const s = sim();
    const { projectId } = s.seedProject({ name: 'P', tasks: [{ text: 'x' }] });
    const res = await api(s, 'GET', `/projects/${projectId}/tasks?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_REQUEST');
    expect(res.body.message).toContain(fragment);
  });
});
