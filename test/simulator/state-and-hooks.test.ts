import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { startCheckedSimulator, useCheckedSimulator } from '../support/simulator.js';
import { api, outline } from './api.js';

describe('the state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-sim-state-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps workspace, folders, projects, tasks and sub-resources across a restart', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startCheckedSimulator({ statePath });
    const { projectId, taskIds } = first.seedProject({
      name: 'Kept',
      tasks: [{ text: 'a', children: [{ text: 'a1' }] }, { text: 'b' }],
    });
    await api(first, 'PUT', `/projects/${projectId}/tasks/${taskIds[1]}/note`, {
      type: 'text/markdown',
      value: 'remember',
    });
    await api(first, 'PUT', `/projects/${projectId}/tasks/${taskIds[2]}/move`, {
      target: { taskId: taskIds[0], position: 'beforebegin' },
    });
    await api(first, 'POST', `/projects/${projectId}/tasks/${taskIds[2]}/complete`, {});
    const before = await outline(first, projectId);
    await first.close();

    const second = await startCheckedSimulator({ statePath });
    try {
      expect(second.workspace).toEqual(first.workspace);
      expect(await outline(second, projectId)).toBe(before);
      expect((await api(second, 'GET', `/projects/${projectId}/tasks/${taskIds[1]}/note`)).body.item.value).toBe(
        'remember',
      );
      expect((await api(second, 'GET', `/projects/${projectId}/tasks/${taskIds[2]}`)).body.item.completed).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('saves soon after a change made through the API, without waiting for close', async () => {
    const statePath = join(dir, 'state.json');
    const s = await startCheckedSimulator({ statePath });
    try {
      const res = await api(s, 'POST', '/projects', {
        folderId: s.workspace.id,
        contentType: 'text/markdown',
        content: '# Saved\n- one',
      });
      const id = res.body.item.id as string;
      await expect
        .poll(() => existsSync(statePath) && readFileSync(statePath, 'utf8').includes(id), {
          timeout: 10_000,
          interval: 20,
        })
        .toBe(true);
    } finally {
      await s.close();
    }
  });

  it('refuses to start on a file that is not a state file, naming it', async () => {
    const statePath = join(dir, 'broken.json');
    writeFileSync(statePath, '{"version": 7}');
    await expect(startSimulator({ statePath })).rejects.toThrow(`${statePath}: not a simulator state file`);
    writeFileSync(statePath, '{not json');
    await expect(startSimulator({ statePath })).rejects.toThrow(statePath);
  });
});

describe('the /__sim hooks', () => {
  const sim = useCheckedSimulator();
  // any: the hooks answer several shapes; each test reads the fields it pins.
  const hook = async (
    origin: string,
    method: string,
    name: string,
    body?: unknown,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the responses are validated by the contract checker
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${origin}/__sim/${name}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it('info names the base URL, tokens and workspace; hooks are not counted in stats', async () => {
    const s = sim();
    const info = await hook(s.origin, 'GET', 'info');
    expect(info.body).toEqual({ baseUrl: s.baseUrl, tokens: ['sim-token'], workspace: s.workspace });
    await api(s, 'GET', '/workspaces');
    expect((await hook(s.origin, 'GET', 'stats')).body).toEqual({
      requests: { 'GET /workspaces': 1 },
      total: 1,
      reads: 1,
      writes: 0,
      rateLimited: 0,
      faults: 0,
    });
  });

  it('seed creates a project; reset empties state and stats but keeps the workspace ids', async () => {
    const s = sim();
    const seeded = await hook(s.origin, 'POST', 'seed', {
      name: 'Hooked',
      tasks: [{ text: 'x', children: [{ text: 'y', completed: true }] }],
    });
    expect(seeded.body.taskIds).toHaveLength(2);
    expect(await outline(s, seeded.body.projectId)).toBe('x\n  y');
    expect((await hook(s.origin, 'POST', 'reset', {})).body).toEqual({ ok: true });
    expect((await api(s, 'GET', `/projects/${seeded.body.projectId}`)).status).toBe(404);
    expect((await api(s, 'GET', `/workspaces/${s.workspace.id}/folders`)).body.items).toHaveLength(2);
    await hook(s.origin, 'POST', 'reset', { state: false });
    expect(s.stats().total).toBe(0);
  });

  it('faults, behaviours and rate-limit are set and read back over HTTP', async () => {
    const s = sim();
    expect((await hook(s.origin, 'POST', 'faults', [{ kind: 'status503', count: 1 }])).body).toEqual([
      { kind: 'status503', count: 1 },
    ]);
    expect((await api(s, 'GET', '/workspaces')).status).toBe(503);
    expect((await hook(s.origin, 'GET', 'faults')).body).toEqual([{ kind: 'status503', count: 0 }]);
    expect((await hook(s.origin, 'POST', 'behaviours', { rootNode: false })).body.rootNode).toBe(false);
    expect(s.behaviours().rootNode).toBe(false);
    expect((await hook(s.origin, 'POST', 'rate-limit', { requests: 1, windowMs: 60_000 })).body).toEqual({
      requests: 1,
      windowMs: 60_000,
    });
    await api(s, 'GET', '/workspaces');
    expect((await api(s, 'GET', '/workspaces')).status).toBe(429);
    expect((await hook(s.origin, 'POST', 'rate-limit', null)).body).toBeNull();
  });

  it('refuses bad hook input with 400 naming the key, and unknown hooks with 404', async () => {
    const s = sim();
    const bad = await hook(s.origin, 'POST', 'behaviours', { textMode: 'html' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('`behaviours.textMode`');
    expect((await hook(s.origin, 'POST', 'rate-limit', { requests: 0 })).status).toBe(400);
    expect((await hook(s.origin, 'POST', 'seed', { tasks: [] })).body.message).toContain('`name`');
    const badDate = await hook(s.origin, 'POST', 'seed', {
      name: 'D',
      tasks: [{ text: 't', date: { date: '2026-1-1' } }],
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.message).toContain('`tasks[0].date.date`');
    expect(() =>
      s.seedProject({ name: 'D', tasks: [{ text: 't', date: { date: '2026-01-01', time: '25:00' } }] }),
    ).toThrow('`tasks[0].date.time`');
    expect((await hook(s.origin, 'POST', 'seed', { name: 'F', folderId: 'missing99' })).status).toBe(404);
    expect((await hook(s.origin, 'GET', 'nothing')).status).toBe(404);
  });
});
