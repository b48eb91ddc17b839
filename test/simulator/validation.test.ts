import { describe, expect, it } from 'vitest';
import { useCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';
import { api, outline } from './api.js';

// These tests send invalid requests on purpose: request checking is off, responses still checked.
const sim = useCheckedSimulator({ checkRequests: false });

function seed(s: CheckedSimulator): { projectId: string; a: string } {
  const { projectId, taskIds } = s.seedProject({ name: 'V', tasks: [{ text: 'a' }] });
  return { projectId, a: taskIds[0] as string };
}

const item = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  contentType: 'text/markdown',
  content: 'x',
  placement: 'beforeend',
  ...extra,
});

describe('task create limits and validation', () => {
  it('takes 20 tasks in one request and refuses 21, creating none', async () => {
    const s = sim();
    const t = seed(s);
    const ok = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: Array.from({ length: 20 }, () => item()),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.item).toHaveLength(20);
    const tooMany = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: Array.from({ length: 21 }, () => item()),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toBe('`tasks` has 21 items, expected at most 20 per request');
    expect((await outline(s, t.projectId)).split('\n')).toHaveLength(21);
  });

  it('counts content length in characters (code points): 2000 emoji pass, 2001 characters do not', async () => {
    const s = sim();
    const t = seed(s);
    expect(
      (await api(s, 'POST', `/projects/${t.projectId}/tasks/`, { tasks: [item({ content: '😀'.repeat(2000) })] }))
        .status,
    ).toBe(200);
    const long = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, {
      tasks: [item({ content: 'x'.repeat(2001) })],
    });
    expect(long.status).toBe(400);
    expect(long.body.message).toBe('`tasks[0].content` is 2001 characters long, expected at most 2000');
  });

  it.each([
    ['a sibling placement without an anchor', item({ placement: 'afterend' }), 'tasks[0].placement'],
    ['an unknown placement', item({ placement: 'inside' }), 'tasks[0].placement'],
    ['a missing contentType', { content: 'x', placement: 'beforeend' }, 'tasks[0].contentType'],
    ['an unknown key', item({ parentId: 'p' }), 'tasks[0].parentId'],
    ['an anchor from nowhere', item({ taskId: 'nope', placement: 'afterend' }), 'tasks[0].taskId'],
    [
      '"null" as anchor with a sibling placement',
      item({ taskId: 'null', placement: 'afterend' }),
      'tasks[0].placement',
    ],
  ])('refuses %s, naming the key', async (_name, element, key) => {
    const s = sim();
    const t = seed(s);
    const res = await api(s, 'POST', `/projects/${t.projectId}/tasks/`, { tasks: [item(), element] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_REQUEST');
    expect(res.body.message).toContain(key.replace('tasks[0]', 'tasks[1]'));
    expect(await outline(s, t.projectId)).toBe('a'); // the valid first element was not applied either
  });

  it('refuses a body that is not JSON', async () => {
    const s = sim();
    const t = seed(s);
    const res = await fetch(`${s.baseUrl}/projects/${t.projectId}/tasks/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body: '{"tasks": [',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Request body is not valid JSON/);
  });
});

describe('task update, note and date validation', () => {
  it('PUT task text must be one line of at most 2000 characters', async () => {
    const s = sim();
    const t = seed(s);
    const path = `/projects/${t.projectId}/tasks/${t.a}`;
    expect((await api(s, 'PUT', path, { contentType: 'text/markdown', content: 'two\nlines' })).body.message).toBe(
      '`content` contains a line break, expected a single line',
    );
    expect((await api(s, 'PUT', path, { contentType: 'text/markdown', content: 'x'.repeat(2001) })).status).toBe(400);
    expect((await api(s, 'PUT', path, { contentType: 'text/html', content: 'x' })).status).toBe(400);
    const ok = await api(s, 'PUT', path, { contentType: 'text/plain', content: 'renamed **bold**' });
    expect(ok.body.item).toMatchObject({ id: t.a, text: 'renamed **bold**' });
  });

  it('a note must be one non-empty line with `type` and `value`', async () => {
    const s = sim();
    const t = seed(s);
    const path = `/projects/${t.projectId}/tasks/${t.a}/note`;
    expect((await api(s, 'PUT', path, { type: 'text/markdown', value: '' })).status).toBe(400);
    expect((await api(s, 'PUT', path, { type: 'text/markdown', value: 'a\r\nb' })).status).toBe(400);
    expect((await api(s, 'PUT', path, { contentType: 'text/markdown', content: 'x' })).status).toBe(400);
  });

  it.each([
    [{ start: { date: '2026-1-5' } }, 'start.date'],
    [{ start: { date: '2026-01-05', time: '24:00' } }, 'start.time'],
    [{ start: { date: '2026-01-05', time: '9:30' } }, 'start.time'],
    [{ start: { date: '2026-01-05', zone: 'UTC' } }, 'start.zone'],
    [{ end: { date: '2026-01-05' } }, 'start'],
    [{ start: { date: '2026-01-05' }, end: { date: 'tomorrow' } }, 'end.date'],
  ])('a date %j is refused, naming %s', async (body, key) => {
    const s = sim();
    const t = seed(s);
    const res = await api(s, 'PUT', `/projects/${t.projectId}/tasks/${t.a}/date`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(key);
  });

  it('a move needs a target with a non-empty taskId and a known position', async () => {
    const s = sim();
    const t = seed(s);
    const path = `/projects/${t.projectId}/tasks/${t.a}/move`;
    expect((await api(s, 'PUT', path, { target: { taskId: '', position: 'afterend' } })).status).toBe(400);
    expect((await api(s, 'PUT', path, { target: { taskId: t.a, position: 'after' } })).status).toBe(400);
    expect((await api(s, 'PUT', path, { taskId: t.a, position: 'afterend' })).status).toBe(400);
  });

  it('assignee handles must be non-empty strings', async () => {
    const s = sim();
    const t = seed(s);
    const path = `/projects/${t.projectId}/tasks/${t.a}/assignees`;
    expect((await api(s, 'PUT', path, { handles: [''] })).status).toBe(400);
    expect((await api(s, 'PUT', path, { handles: 'alice' })).status).toBe(400);
  });

  it('project create needs folderId, contentType text/markdown and content', async () => {
    const s = sim();
    expect((await api(s, 'POST', '/projects', { contentType: 'text/markdown', content: '# X' })).status).toBe(400);
    expect(
      (await api(s, 'POST', '/projects', { folderId: s.workspace.id, contentType: 'text/plain', content: 'X' })).status,
    ).toBe(400);
    const missing = await api(s, 'POST', '/projects', {
      folderId: 'nofolder1',
      contentType: 'text/markdown',
      content: '# X',
    });
    expect(missing.status).toBe(404);
  });
});
