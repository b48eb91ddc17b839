import { describe, expect, it } from 'vitest';
import { startCheckedSimulator, useCheckedSimulator } from '../support/simulator.js';
import { api } from './api.js';

describe('the simulator serves the spec envelopes', () => {
  const sim = useCheckedSimulator();

  it('lists the starting workspace, its home folder first, then its sub-folder', async () => {
    const s = sim();
    const workspaces = await api(s, 'GET', '/workspaces');
    expect(workspaces.body).toEqual({ ok: true, items: [{ id: s.workspace.id, name: s.workspace.name }] });
    const folders = await api(s, 'GET', `/workspaces/${s.workspace.id}/folders`);
    expect(folders.body.items).toEqual([
      { id: s.workspace.homeFolderId, name: s.workspace.name },
      ...s.workspace.folders,
    ]);
    expect(s.workspace.homeFolderId).toBe(s.workspace.id);
  });

  it('answers 401 with the Error body without a token or with an unknown one', async () => {
    const s = sim();
    const none = await api(s, 'GET', '/workspaces', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ ok: false, code: 'UNAUTHORIZED', statusMessage: 'Unauthorized' });
    const wrong = await api(s, 'GET', '/workspaces', undefined, { token: 'nope' });
    expect(wrong.status).toBe(401);
  });

  it('accepts every configured token', async () => {
    const s = await startCheckedSimulator({ tokens: ['one', 'two'] });
    try {
      expect(s.token).toBe('one');
      expect((await api(s, 'GET', '/workspaces', undefined, { token: 'two' })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('reads a seeded project and its task list with the root node first', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({
      name: 'Roadmap',
      tasks: [{ text: 'Ship', children: [{ text: 'Parse' }] }],
    });
    expect((await api(s, 'GET', `/projects/${projectId}`)).body).toEqual({
      ok: true,
      item: { id: projectId, name: 'Roadmap' },
    });
    const list = await api(s, 'GET', `/projects/${projectId}/tasks`);
    const [root, ship, parse] = list.body.items;
    expect(root).toEqual({ id: expect.any(String), text: 'Roadmap', completed: false });
    expect(ship).toEqual({ id: taskIds[0], text: 'Ship', parentId: root.id, completed: false });
    expect(parse).toEqual({ id: taskIds[1], text: 'Parse', parentId: taskIds[0], completed: false });
  });

  it('answers 404 NOT_FOUND for a missing project', async () => {
    const res = await api(sim(), 'GET', '/projects/AAAAAAAAAAAAAAAA/tasks');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      ok: false,
      message: 'Document not found',
      code: 'NOT_FOUND',
      statusMessage: 'Not Found',
    });
  });
});
