/**
 * The client against the Taskade simulator, with every exchange checked against the spec file
 * (request bodies included): exact request counts from the simulator's stats, and each open
 * behaviour of the API exercised through the simulator's switches and faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedTask } from '../../src/simulator/index.js';
import { TaskadeClient } from '../../src/taskade/client.js';
import { TaskadeError } from '../../src/taskade/errors.js';
import { RequestQueue } from '../../src/taskade/request-queue.js';
import { useCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';

const sim = useCheckedSimulator();
const clients: TaskadeClient[] = [];

function clientFor(s: CheckedSimulator, options: { token?: string; requestsPerMinute?: number } = {}): TaskadeClient {
  // Fast backoff: these tests count requests; they do not measure time.
  const queue = new RequestQueue({
    requestsPerMinute: options.requestsPerMinute ?? 6_000,
    baseBackoffMs: 5,
    maxBackoffMs: 20,
  });
  const client = new TaskadeClient({ baseUrl: s.baseUrl, token: options.token ?? s.token, queue });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function requests(s: CheckedSimulator, key: string): number {
  return s.stats().requests[key] ?? 0;
}

const TASKS = 'GET /projects/{projectId}/tasks';
const CREATE = 'POST /projects/{projectId}/tasks/';

describe('listing tasks', () => {
  it('pages 2,500 tasks in 3 list requests at pageSize 1000, root removed, outline order kept', async () => {
    const s = sim();
    // 25 sections of 99 subtasks each: 2,500 tasks (+ the root node = 2,501 items on the wire).
    const tasks: SeedTask[] = Array.from({ length: 25 }, (_, i) => ({
      text: `Section ${i}`,
      children: Array.from({ length: 99 }, (_, j) => ({ text: `Task ${i}.${j}`, completed: j % 3 === 0 })),
    }));
    const { projectId, taskIds } = s.seedProject({ name: 'Big', tasks });
    const client = clientFor(s);

    const list = await client.listTasks(projectId);

    expect(requests(s, TASKS)).toBe(3);
    expect(list.pages).toBe(3);
    expect(list.tasks).toHaveLength(2_500);
    expect(list.rootId).not.toBeNull();
    expect(list.tasks.map((t) => t.id)).toEqual(taskIds);
    expect(list.tasks[0]).toEqual({ id: taskIds[0], text: 'Section 0', parentId: null, completed: false });
    expect(list.tasks[1]).toEqual({ id: taskIds[1], text: 'Task 0.0', parentId: taskIds[0], completed: true });
    expect(list.tasks.filter((t) => t.parentId === null)).toHaveLength(25);
  });

  it('reads the same outline when the server sends no root node, and learns that it does not', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({
      name: 'P',
      tasks: [{ text: 'A', children: [{ text: 'A1' }] }, { text: 'B' }],
    });
    const lone = s.seedProject({ name: 'Lone', tasks: [{ text: 'Only' }] });
    s.setBehaviours({ rootNode: false });
    const client = clientFor(s);

    const list = await client.listTasks(projectId);
    expect(list.rootId).toBeNull();
    expect(list.tasks.map((t) => [t.id, t.parentId])).toEqual([
      [taskIds[0], null],
      [taskIds[1], taskIds[0]],
      [taskIds[2], null],
    ]);
    // A lone top-level task is ambiguous on its own; the lesson above keeps it a task.
    expect((await client.listTasks(lone.projectId)).tasks).toEqual([
      { id: lone.taskIds[0], text: 'Only', parentId: null, completed: false },
    ]);
  });

  it('stops on a short page: exactly pageSize tasks take one more, empty, request', async () => {
    const s = sim();
    const { projectId } = s.seedProject({ name: 'P', tasks: Array.from({ length: 9 }, (_, i) => ({ text: `T${i}` })) });
    const client = clientFor(s);
    const list = await client.listTasks(projectId, { pageSize: 5 }); // 10 items with the root: 5 + 5 + 0
    expect(list.tasks).toHaveLength(9);
    expect(requests(s, TASKS)).toBe(3);
  });

  it('maps the root to top level in getTask once a list has shown it', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    const client = clientFor(s);
    await client.listTasks(projectId);
    await expect(client.getTask(projectId, taskIds[0] as string)).resolves.toEqual({
      id: taskIds[0],
      text: 'A',
      parentId: null,
      completed: false,
    });
    await expect(client.getTask(projectId, 'no-such-task')).resolves.toBeNull();
  });
});

describe('creating tasks', () => {
  it('creates a batch in one request and returns the new tasks in order', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'Anchor' }] });
    const client = clientFor(s);
    const created = await client.createTasks(projectId, [
      { contentType: 'text/markdown', content: 'Child **one**', placement: 'beforeend', taskId: taskIds[0] as string },
      { contentType: 'text/markdown', content: 'Top', placement: 'beforeend' },
    ]);
    expect(created.map((t) => t.text)).toEqual(['Child **one**', 'Top']);
    expect(requests(s, CREATE)).toBe(1);
    const list = await client.listTasks(projectId);
    expect(list.tasks.map((t) => [t.text, t.parentId])).toEqual([
      ['Anchor', null],
      ['Child **one**', taskIds[0]],
      ['Top', null],
    ]);
  });

  it('accepts write responses that hold only ids', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    s.setBehaviours({ partialWriteResponses: true });
    const client = clientFor(s);
    const created = await client.createTasks(projectId, [
      { contentType: 'text/markdown', content: 'New', placement: 'afterbegin' },
    ]);
    expect(created).toEqual([{ id: expect.any(String) }]);
    await client.updateTaskText(projectId, taskIds[0] as string, 'A renamed');
    await client.moveTask(projectId, created[0]?.id as string, { taskId: taskIds[0] as string, position: 'afterend' });
    expect((await client.listTasks(projectId)).tasks.map((t) => t.text)).toEqual(['A renamed', 'New']);
  });

  it('sends a create once when the connection drops before it is applied', async () => {
    const s = sim();
    const { projectId } = s.seedProject({ name: 'P', tasks: [] });
    s.setFaults([{ kind: 'drop', method: 'POST', route: '/projects/{projectId}/tasks/', count: 1 }]);
    const client = clientFor(s);
    const error = await client
      .createTasks(projectId, [{ contentType: 'text/markdown', content: 'X', placement: 'beforeend' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskadeError);
    expect(error).toMatchObject({ code: 'NETWORK', maybeApplied: true });
    expect(requests(s, CREATE)).toBe(1);
    expect((await client.listTasks(projectId)).tasks).toEqual([]);
  });

  it('sends a create once when it is applied but the response is lost — the task exists once', async () => {
    const s = sim();
    const { projectId } = s.seedProject({ name: 'P', tasks: [] });
    s.setFaults([{ kind: 'applyThenDrop', method: 'POST', route: '/projects/{projectId}/tasks/', count: 1 }]);
    const client = clientFor(s);
    await expect(
      client.createTasks(projectId, [{ contentType: 'text/markdown', content: 'X', placement: 'beforeend' }]),
    ).rejects.toMatchObject({
      code: 'NETWORK',
      maybeApplied: true,
    });
    expect(requests(s, CREATE)).toBe(1);
    expect((await client.listTasks(projectId)).tasks.map((t) => t.text)).toEqual(['X']);
  });
});

describe('retries and errors', () => {
  it('retries a GET after a 503 and succeeds: two requests', async () => {
    const s = sim();
    const { projectId } = s.seedProject({ name: 'Roadmap' });
    s.setFaults([{ kind: 'status503', method: 'GET', route: '/projects/{projectId}', count: 1 }]);
    const client = clientFor(s);
    await expect(client.getProject(projectId)).resolves.toEqual({ id: projectId, name: 'Roadmap' });
    expect(requests(s, 'GET /projects/{projectId}')).toBe(2);
    expect(client.queue.stats()).toMatchObject({ sent: 2, retried: 1 });
  });

  it('retries an idempotent write after a dropped connection', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    s.setFaults([{ kind: 'applyThenDrop', method: 'PUT', route: '/projects/{projectId}/tasks/{taskId}', count: 1 }]);
    const client = clientFor(s);
    await client.updateTaskText(projectId, taskIds[0] as string, 'B');
    expect(requests(s, 'PUT /projects/{projectId}/tasks/{taskId}')).toBe(2);
    expect((await client.getTask(projectId, taskIds[0] as string))?.text).toBe('B');
  });

  it('never retries a 400, a 404 or a 401', async () => {
    const s = sim();
    const client = clientFor(s);
    await expect(client.getProject('0000000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      serverMessage: 'Document not found',
    });
    await expect(client.listTasksPage('0000000000000000', { limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stranger = clientFor(s, { token: 'not-the-token' });
    const auth = await stranger.listWorkspaces().then(
      () => null,
      (e: unknown) => e as TaskadeError,
    );
    expect(auth).toMatchObject({ code: 'AUTH', status: 401 });
    expect(auth?.message).not.toContain('not-the-token');
    expect(s.stats().total).toBe(3);
  });

  it('waits out the server rate limit (429 + Retry-After) and finishes every request', async () => {
    const s = sim();
    s.setRateLimit({ requests: 3, windowMs: 1_000 });
    const client = clientFor(s);
    const all = await Promise.all(Array.from({ length: 5 }, () => client.listWorkspaces()));
    expect(all).toHaveLength(5);
    const sim429 = s.stats().rateLimited;
    expect(client.queue.stats().rateLimited).toBe(sim429);
    expect(s.stats().total).toBe(5 + sim429);
  });
});

describe('completion', () => {
  it('completes an open task with one request', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    const client = clientFor(s);
    await client.setCompleted(projectId, taskIds[0] as string, true);
    expect(s.stats().total).toBe(1);
    expect((await client.getTask(projectId, taskIds[0] as string))?.completed).toBe(true);
  });

  it('treats the 400 for an already completed task as done, after one confirming GET', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A', completed: true }, { text: 'B' }] });
    const client = clientFor(s);
    await client.setCompleted(projectId, taskIds[0] as string, true);
    await client.setCompleted(projectId, taskIds[1] as string, false);
    expect(s.stats().requests).toEqual({
      'POST /projects/{projectId}/tasks/{taskId}/complete': 1,
      'POST /projects/{projectId}/tasks/{taskId}/uncomplete': 1,
      'GET /projects/{projectId}/tasks/{taskId}': 2,
    });
  });

  it('keeps a 400 an error when the confirming GET shows the task is not in the requested state', async () => {
    const s = sim();
    const { projectId } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    const client = clientFor(s);
    const { rootId } = await client.listTasks(projectId);
    // The simulator refuses to complete the root node with a 400, and the root is still open.
    await expect(client.setCompleted(projectId, rootId as string, true)).rejects.toMatchObject({
      code: 'VALIDATION',
      status: 400,
    });
    expect(s.stats().requests).toEqual({
      [TASKS]: 1,
      'POST /projects/{projectId}/tasks/{taskId}/complete': 1,
      'GET /projects/{projectId}/tasks/{taskId}': 1,
    });
  });
});

describe('notes, dates and assignees', () => {
  it('reads a missing note and date as null (404), and a note as null when the server sends item:null', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    const client = clientFor(s);
    const id = taskIds[0] as string;
    await expect(client.getNote(projectId, id)).resolves.toBeNull();
    await expect(client.getDate(projectId, id)).resolves.toBeNull();
    s.setBehaviours({ missingSubresource404: false });
    await expect(client.getNote(projectId, id)).resolves.toBeNull();
    expect(s.stats().total).toBe(3);
  });

  it('writes, reads and deletes a note, a date and assignees, one request each', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
    const client = clientFor(s);
    const id = taskIds[0] as string;
    const [member] = await client.listMembers(projectId);
    const handle = member?.handle as string;

    await client.putNote(projectId, id, 'A note with **markdown**');
    await client.putDate(projectId, id, { start: { date: '2026-12-01', time: '09:30', timezone: 'Europe/Berlin' } });
    await client.putAssignees(projectId, id, [handle]);
    await expect(client.getNote(projectId, id)).resolves.toBe('A note with **markdown**');
    await expect(client.getDate(projectId, id)).resolves.toMatchObject({
      start: { date: '2026-12-01', time: '09:30', timezone: 'Europe/Berlin' },
    });
    await expect(client.getAssignees(projectId, id)).resolves.toEqual([handle]);

    await client.deleteNote(projectId, id);
    await client.deleteDate(projectId, id);
    await client.deleteAssignee(projectId, id, handle);
    await expect(client.getNote(projectId, id)).resolves.toBeNull();
    await expect(client.getDate(projectId, id)).resolves.toBeNull();
    await expect(client.getAssignees(projectId, id)).resolves.toEqual([]);
    expect(s.stats().total).toBe(1 + 3 + 3 + 3 + 3);
  });

  it('deletes what is already gone without an error: task 404, date "does not exist", note, assignee', async () => {
    const s = sim();
    const { projectId, taskIds } = s.seedProject({ name: 'P', tasks: [{ text: 'A' }, { text: 'B' }] });
    const client = clientFor(s);
    const [a, b] = taskIds as [string, string];
    await client.deleteDate(projectId, a);
    await client.deleteNote(projectId, a);
    await client.deleteAssignee(projectId, a, 'sim-owner');
    await client.deleteTask(projectId, b);
    await client.deleteTask(projectId, b);
    expect(s.stats().total).toBe(5);
    expect((await client.listTasks(projectId)).tasks.map((t) => t.id)).toEqual([a]);
  });
});

describe('workspaces, folders and projects', () => {
  it('lists the workspace tree and creates a project from markdown', async () => {
    const s = sim();
    const client = clientFor(s);
    const workspaces = await client.listWorkspaces();
    expect(workspaces).toContainEqual({ id: s.workspace.id, name: s.workspace.name });
    const folders = await client.listFolders(s.workspace.id);
    const folder = s.workspace.folders[0];
    expect(folders).toContainEqual(folder);

    const created = await client.createProject({
      folderId: folder?.id as string,
      content: '# Launch\n\n- First\n- Second',
    });
    expect(created.id).toMatch(/^[A-Za-z0-9]{16}$/);
    await expect(client.getProject(created.id)).resolves.toMatchObject({ id: created.id });
    expect((await client.listFolderProjects(folder?.id as string)).map((p) => p.id)).toContain(created.id);
    expect((await client.listMyProjects({ limit: 100 })).map((p) => p.id)).toContain(created.id);
    expect((await client.listTasks(created.id)).tasks.map((t) => t.text)).toEqual(['First', 'Second']);
    expect(requests(s, 'POST /projects')).toBe(1);
  });
});
