import { describe, expect, it } from 'vitest';
import { useCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';
import { api, outline } from './api.js';

function seed(s: CheckedSimulator): { projectId: string; a: string; path: string } {
  const { projectId, taskIds } = s.seedProject({ name: 'S', tasks: [{ text: 'a' }] });
  const a = taskIds[0] as string;
  return { projectId, a, path: `/projects/${projectId}/tasks/${a}` };
}

describe('complete and uncomplete', () => {
  const sim = useCheckedSimulator();

  it('toggle `completed`, and refuse a redundant call with 400 by default', async () => {
    const s = sim();
    const t = seed(s);
    expect((await api(s, 'POST', `${t.path}/uncomplete`, {})).status).toBe(400);
    const done = await api(s, 'POST', `${t.path}/complete`, {});
    expect(done.body).toEqual({
      ok: true,
      item: { id: t.a, text: 'a', parentId: expect.any(String), completed: true },
    });
    const again = await api(s, 'POST', `${t.path}/complete`);
    expect(again.status).toBe(400);
    expect(again.body.message).toBe(`Task ${t.a} is already completed`);
    expect((await api(s, 'POST', `${t.path}/uncomplete`)).body.item.completed).toBe(false);
  });

  it('are idempotent when strictCompletion is off', async () => {
    const s = sim();
    s.setBehaviours({ strictCompletion: false });
    const t = seed(s);
    expect((await api(s, 'POST', `${t.path}/uncomplete`, {})).status).toBe(200);
  });

  it('do not cascade to children', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'C', tasks: [{ text: 'p', children: [{ text: 'c' }] }] });
    await api(s, 'POST', `/projects/${projectId}/tasks/${taskIds[0]}/complete`, {});
    expect((await api(s, 'GET', `/projects/${projectId}/tasks/${taskIds[1]}`)).body.item.completed).toBe(false);
  });
});

describe('notes', () => {
  const sim = useCheckedSimulator();

  it('round-trip through PUT, GET and DELETE; a missing note is 404 by default', async () => {
    const s = sim();
    const t = seed(s);
    expect((await api(s, 'GET', `${t.path}/note`)).status).toBe(404);
    const put = await api(s, 'PUT', `${t.path}/note`, { type: 'text/markdown', value: 'see *docs*' });
    expect(put.body).toEqual({ ok: true, item: { type: 'text/markdown', value: 'see *docs*' } });
    expect((await api(s, 'GET', `${t.path}/note`)).body).toEqual({
      ok: true,
      item: { type: 'text/markdown', value: 'see *docs*' },
    });
    expect((await api(s, 'DELETE', `${t.path}/note`)).body).toEqual({ ok: true });
    expect((await api(s, 'DELETE', `${t.path}/note`)).status).toBe(404);
  });

  it('a missing note is {ok:true, item:null} when missingSubresource404 is off', async () => {
    const s = sim();
    s.setBehaviours({ missingSubresource404: false });
    const t = seed(s);
    expect((await api(s, 'GET', `${t.path}/note`)).body).toEqual({ ok: true, item: null });
    expect((await api(s, 'DELETE', `${t.path}/note`)).body).toEqual({ ok: true });
  });
});

describe('dates', () => {
  const sim = useCheckedSimulator();

  it('round-trip start and end; PUT and DELETE answer the task', async () => {
    const s = sim();
    const t = seed(s);
    const date = {
      start: { date: '2026-12-01', time: '09:30', timezone: 'Europe/Paris' },
      end: { date: '2026-12-02', time: null },
    };
    expect((await api(s, 'PUT', `${t.path}/date`, date)).body.item).toMatchObject({ id: t.a });
    expect((await api(s, 'GET', `${t.path}/date`)).body).toEqual({ ok: true, item: date });
    expect((await api(s, 'DELETE', `${t.path}/date`)).body.item).toMatchObject({ id: t.a });
  });

  it('a missing date is 404 on GET (even with missingSubresource404 off) and 400 "Date does not exist" on DELETE', async () => {
    const s = sim();
    s.setBehaviours({ missingSubresource404: false });
    const t = seed(s);
    expect((await api(s, 'GET', `${t.path}/date`)).status).toBe(404);
    const del = await api(s, 'DELETE', `${t.path}/date`);
    expect(del.status).toBe(400);
    expect(del.body.message).toBe('Date does not exist');
  });
});

describe('assignees and members', () => {
  const sim = useCheckedSimulator();

  it('PUT replaces the set, DELETE removes one handle, GET lists them with display names', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'PUT', `${t.path}/assignees`, { handles: ['alice', 'carol'] });
    await api(s, 'PUT', `${t.path}/assignees`, { handles: ['bob', 'carol', 'bob'] });
    expect((await api(s, 'GET', `${t.path}/assignees`)).body).toEqual({
      ok: true,
      items: [{ handle: 'bob', displayName: 'Bob' }, { handle: 'carol' }],
    });
    await api(s, 'DELETE', `${t.path}/assignees/bob`);
    expect((await api(s, 'GET', `${t.path}/assignees`)).body.items).toEqual([{ handle: 'carol' }]);
    expect((await api(s, 'DELETE', `${t.path}/assignees/bob`)).status).toBe(400);
  });

  it('project members are the workspace members plus every assigned handle, paged', async () => {
    const s = sim();
    const t = seed(s);
    await api(s, 'PUT', `${t.path}/assignees`, { handles: ['carol'] });
    const all = await api(s, 'GET', `/projects/${t.projectId}/members`);
    expect(all.body.items.map((m: { handle: string }) => m.handle)).toEqual(['sim-owner', 'alice', 'bob', 'carol']);
    expect((await api(s, 'GET', `/projects/${t.projectId}/members?limit=3&page=2`)).body.items).toEqual([
      { handle: 'carol' },
    ]);
  });
});

describe('the open behaviours as switches', () => {
  const sim = useCheckedSimulator();

  it('partialWriteResponses: task writes answer only {id}', async () => {
    const s = sim();
    s.setBehaviours({ partialWriteResponses: true });
    const t = seed(s);
    expect((await api(s, 'PUT', t.path, { contentType: 'text/plain', content: 'b' })).body).toEqual({
      ok: true,
      item: { id: t.a },
    });
    expect((await api(s, 'POST', `${t.path}/complete`, {})).body).toEqual({ ok: true, item: { id: t.a } });
    const created = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: [{ contentType: 'text/plain', content: 'n', placement: 'beforeend' }],
    });
    expect(created.body.item).toEqual([{ id: expect.any(String) }]);
    expect((await api(s, 'GET', t.path)).body.item.text).toBe('b'); // reads stay whole
  });

  it("textMode 'plain' strips inline markdown from text; the stored source is unchanged", async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({
      name: 'M',
      tasks: [{ text: 'see **[docs](https://x.test)** and `code` _now_' }],
    });
    const path = `/projects/${projectId}/tasks/${taskIds[0]}`;
    s.setBehaviours({ textMode: 'plain' });
    expect((await api(s, 'GET', path)).body.item.text).toBe('see docs and code now');
    s.setBehaviours({ textMode: 'markdown' });
    expect((await api(s, 'GET', path)).body.item.text).toBe('see **[docs](https://x.test)** and `code` _now_');
  });

  it.each([
    ['slash', 200, 404],
    ['no-slash', 404, 200],
    ['both', 200, 200],
  ] as const)("createPath '%s': with slash %d, without %d", async (createPath, withSlash, without) => {
    const s = sim();
    s.setBehaviours({ createPath });
    const t = seed(s);
    const body = { tasks: [{ contentType: 'text/plain', content: 'n', placement: 'beforeend' }] };
    expect((await api(s, 'POST', `/projects/${t.projectId}/tasks/`, body)).status).toBe(withSlash);
    expect((await api(s, 'POST', `/projects/${t.projectId}/tasks`, body)).status).toBe(without);
  });
});

describe('projects from markdown', () => {
  const sim = useCheckedSimulator();

  it('POST /projects: first `# ` line is the name, bullets are tasks nested by indentation, [x] completes', async () => {
    const s = sim();
    const content = [
      '# Roadmap',
      '',
      'Intro paragraph.',
      '- [ ] Ship',
      '  - [x] Parse',
      '    * deep',
      '- Plain',
      '\t+ tabbed',
      '## Ignored heading',
    ].join('\n');
    const res = await api(s, 'POST', '/projects', {
      folderId: s.workspace.folders[0]?.id,
      contentType: 'text/markdown',
      content,
    });
    expect(res.body).toEqual({ ok: true, item: { id: expect.stringMatching(/^[A-Za-z0-9]{16}$/), name: 'Roadmap' } });
    const id = res.body.item.id as string;
    expect(await outline(s, id)).toBe('Ship\n  Parse\n    deep\nPlain\n  tabbed');
    const items = (await api(s, 'GET', `/projects/${id}/tasks`)).body.items;
    expect(items.map((i: { completed: boolean }) => i.completed)).toEqual([false, false, true, false, false, false]);
    const inFolder = await api(s, 'GET', `/folders/${s.workspace.folders[0]?.id}/projects`);
    expect(inFolder.body.items).toEqual([{ id, name: 'Roadmap' }]);
  });

  it('POST /workspaces/{id}/projects creates in the home folder, listed under the workspace id', async () => {
    const s = sim();
    const res = await api(s, 'POST', `/workspaces/${s.workspace.id}/projects`, {
      contentType: 'text/markdown',
      content: '- a',
    });
    expect(res.body.item.name).toBe('Untitled');
    expect((await api(s, 'GET', `/folders/${s.workspace.id}/projects`)).body.items).toEqual([res.body.item]);
  });

  it('GET /me/projects pages every project, most recently viewed first by default', async () => {
    const s = sim();
    const first = s.seedProject({ name: 'first' }).projectId;
    const second = s.seedProject({ name: 'second' }).projectId;
    await api(s, 'GET', `/projects/${first}`);
    expect((await api(s, 'GET', '/me/projects')).body.items.map((p: { id: string }) => p.id)).toEqual([first, second]);
    expect((await api(s, 'GET', '/me/projects?sort=viewed-asc&limit=1&page=2')).body.items).toEqual([
      { id: first, name: 'first' },
    ]);
  });
});
