import { describe, expect, it } from 'vitest';
import { useCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';
import { api, outline } from './api.js';

/** a (a1, a2), b — the tree every test here starts from. */
function seed(s: CheckedSimulator): { projectId: string; a: string; a1: string; a2: string; b: string } {
  const { projectId, taskIds } = s.seedProject({
    name: 'Tree',
    tasks: [{ text: 'a', children: [{ text: 'a1' }, { text: 'a2' }] }, { text: 'b' }],
  });
  const [a, a1, a2, b] = taskIds as [string, string, string, string];
  return { projectId, a, a1, a2, b };
}

const task = (content: string, placement: string, taskId?: string | null): Record<string, unknown> => ({
  contentType: 'text/markdown',
  content,
  placement,
  ...(taskId === undefined ? {} : { taskId }),
});

describe('creating tasks places them DOM-style', () => {
  const sim = useCheckedSimulator();

  it.each([
    ['beforebegin', 'a\n  new\n  a1\n  a2\nb'],
    ['afterbegin', 'a\n  a1\n    new\n  a2\nb'],
    ['beforeend', 'a\n  a1\n    new\n  a2\nb'],
    ['afterend', 'a\n  a1\n  new\n  a2\nb'],
  ])('%s relative to a1', async (placement, expected) => {
    const s = sim();
    const t = seed(s);
    const res = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, { tasks: [task('new', placement, t.a1)] });
    expect(res.status).toBe(200);
    expect(res.body.item).toHaveLength(1);
    expect(await outline(s, t.projectId)).toBe(expected);
  });

  it('first and last child of a parent with children', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: [task('first', 'afterbegin', t.a), task('last', 'beforeend', t.a)],
    });
    expect(await outline(s, t.projectId)).toBe('a\n  first\n  a1\n  a2\n  last\nb');
  });

  it('without an anchor: afterbegin is the top of the project, beforeend the bottom (omitted, null or "null")', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: [task('top', 'afterbegin'), task('bottom', 'beforeend', null), task('very bottom', 'beforeend', 'null')],
    });
    expect(await outline(s, t.projectId)).toBe('top\na\n  a1\n  a2\nb\nbottom\nvery bottom');
  });

  it('several elements at one anchor are inserted one after another, so afterbegin/afterend read reversed', async () => {
    const s = sim();
    const t = seed(s);
    const label: Record<string, string> = { beforebegin: 'bb', afterbegin: 'ab', beforeend: 'be', afterend: 'ae' };
    const batch = (placement: string): unknown => ({
      tasks: ['1', '2', '3'].map((n) => task(`${label[placement]}${n}`, placement, t.b)),
    });
    for (const placement of ['beforebegin', 'afterbegin', 'beforeend', 'afterend']) {
      expect((await api(s, 'POST', `/projects/${t.projectId}/tasks/`, batch(placement))).status).toBe(200);
    }
    expect(await outline(s, t.projectId)).toBe(
      [
        'a',
        '  a1',
        '  a2',
        'bb1',
        'bb2',
        'bb3',
        'b',
        '  ab3',
        '  ab2',
        '  ab1',
        '  be1',
        '  be2',
        '  be3',
        'ae3',
        'ae2',
        'ae1',
      ].join('\n'),
    );
  });

  it('answers the created tasks in request order under `item`, with their parent', async () => {
    const s = sim();
    const t = seed(s);
    const res = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: [task('x', 'beforeend', t.b), task('y', 'beforeend', t.b)],
    });
    expect(res.body).toEqual({
      ok: true,
      item: [
        { id: expect.any(String), text: 'x', parentId: t.b, completed: false },
        { id: expect.any(String), text: 'y', parentId: t.b, completed: false },
      ],
    });
  });

  it('serves the create path with and without its trailing slash, counted under the spec route', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'POST', `/projects/${t.projectId}/tasks/`, { tasks: [task('x', 'beforeend')] });
    await api(s, 'POST', `/projects/${t.projectId}/tasks`, { tasks: [task('y', 'beforeend')] });
    expect(s.stats().requests['POST /projects/{projectId}/tasks/']).toBe(2);
    expect(await outline(s, t.projectId)).toBe('a\n  a1\n  a2\nb\nx\ny');
  });

  it('anchoring on the root node (shown by default) means top or bottom of the project', async () => {
    const s = sim();
    const t = seed(s);
    const root = (await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=1`)).body.items[0].id;
    await api(s, 'POST', `/projects/${t.projectId}/tasks/`, { tasks: [task('top', 'afterbegin', root)] });
    expect(await outline(s, t.projectId)).toBe('top\na\n  a1\n  a2\nb');
  });
});

describe('moving a task moves its subtree', () => {
  const sim = useCheckedSimulator();

  it.each([
    ['beforebegin', 'a\n  b\n  a1\n  a2'],
    ['afterbegin', 'a\n  a1\n    b\n  a2'],
    ['beforeend', 'a\n  a1\n    b\n  a2'],
    ['afterend', 'a\n  a1\n  b\n  a2'],
  ])('b %s relative to a1', async (position, expected) => {
    const s = sim();
    const t = seed(s);
    const res = await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.b}/move`, {
      target: { taskId: t.a1, position },
    });
    expect(res.status).toBe(200);
    const parent = position === 'afterbegin' || position === 'beforeend' ? t.a1 : t.a;
    expect(res.body.item).toEqual({ id: t.b, text: 'b', parentId: parent, completed: false });
    expect(await outline(s, t.projectId)).toBe(expected);
  });

  it('takes the children along', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a}/move`, {
      target: { taskId: t.b, position: 'afterbegin' },
    });
    expect(await outline(s, t.projectId)).toBe('b\n  a\n    a1\n    a2');
  });

  it('moves before a sibling and to the top level through the root', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.b}/move`, {
      target: { taskId: t.a, position: 'beforebegin' },
    });
    expect(await outline(s, t.projectId)).toBe('b\na\n  a1\n  a2');
    const root = (await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=1`)).body.items[0].id;
    await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a2}/move`, {
      target: { taskId: root, position: 'beforeend' },
    });
    expect(await outline(s, t.projectId)).toBe('b\na\n  a1\na2');
  });

  it('refuses moving relative to itself or into its own subtree, changing nothing', async () => {
    const s = sim();
    const t = seed(s);
    const self = await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a}/move`, {
      target: { taskId: t.a, position: 'afterend' },
    });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('BAD_REQUEST');
    const inside = await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a}/move`, {
      target: { taskId: t.a2, position: 'beforeend' },
    });
    expect(inside.status).toBe(400);
    expect(inside.body.message).toContain('subtree');
    expect(await outline(s, t.projectId)).toBe('a\n  a1\n  a2\nb');
  });

  it('refuses an anchor from another project and sibling positions around the root', async () => {
    const s = sim();
    const t = seed(s);
    const other = s.seedProject({ name: 'Other', tasks: [{ text: 'z' }] });
    const foreign = await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a}/move`, {
      target: { taskId: other.taskIds[0], position: 'afterend' },
    });
    expect(foreign.status).toBe(400);
    const root = (await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=1`)).body.items[0].id;
    const aroundRoot = await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a}/move`, {
      target: { taskId: root, position: 'afterend' },
    });
    expect(aroundRoot.status).toBe(400);
  });
});

describe('deleting a task removes its subtree', () => {
  const sim = useCheckedSimulator();

  it('deletes the task and every descendant; they are then 404', async () => {
    const s = sim();
    const t = seed(s);
    const res = await api(s, 'DELETE', `/projects/${t.projectId}/tasks/${t.a}`);
    expect(res.body).toEqual({ ok: true });
    expect(await outline(s, t.projectId)).toBe('b');
    expect((await api(s, 'GET', `/projects/${t.projectId}/tasks/${t.a1}`)).status).toBe(404);
    expect((await api(s, 'DELETE', `/projects/${t.projectId}/tasks/${t.a}`)).status).toBe(404);
  });

  it('refuses to delete the root node', async () => {
    const s = sim();
    const t = seed(s);
    const root = (await api(s, 'GET', `/projects/${t.projectId}/tasks?limit=1`)).body.items[0].id;
    expect((await api(s, 'DELETE', `/projects/${t.projectId}/tasks/${root}`)).status).toBe(400);
  });
});
