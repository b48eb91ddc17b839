/**
 * One behaviour suite for every Taskade backend the engine can be given, the way vdirsyncer runs
 * one storage suite against every storage: `TaskadeClient` over the contract-checked simulator
 * (taskade-backend.client.test.ts) and the in-memory fake (taskade-backend.memory.test.ts).
 * A case belongs here when it is what the engine may rely on from any backend; request counts,
 * retries and faults are the client's own business and stay in test/taskade/.
 */
import { describe, expect, it } from 'vitest';
import type { SeedTask } from '../../src/simulator/index.js';
import { TaskadeError } from '../../src/taskade/errors.js';
import type { ApiTaskCreateInput, Placement } from '../../src/taskade/types.js';
import type { TaskadePort } from '../../src/engine/ports.js';

export interface BackendUnderTest {
  backend: TaskadePort;
  /** A new project in the backend's world: task ids in outline pre-order. */
  seedProject(input: { name: string; tasks?: SeedTask[] }): { projectId: string; taskIds: string[] };
  /** Runs `hook` after each page of a task list is answered (undefined: no more), to act between two pages. */
  afterPage(hook: ((projectId: string) => void) | undefined): void;
  /** Another user's move, made at once, outside any request (e.g. from `afterPage`). */
  moveTask(projectId: string, taskId: string, target: { taskId: string; position: Placement }): void;
  close(): Promise<void>;
}

/** A project id no backend holds (16 alphanumerics, the spec's form). */
const NO_PROJECT = '0000000000000000';
const NO_TASK = '00000000-0000-4000-8000-000000000000';

const md = (content: string): { contentType: 'text/markdown'; content: string } => ({
  contentType: 'text/markdown',
  content,
});

export function describeTaskadePort(name: string, makeBackend: () => Promise<BackendUnderTest>): void {
  /** One fresh backend per case, closed after it even when the case fails. */
  const withBackend =
    (body: (b: BackendUnderTest) => Promise<void>): (() => Promise<void>) =>
    async () => {
      const b = await makeBackend();
      try {
        await body(b);
      } finally {
        await b.close();
      }
    };

  /** [text, parent text or null] per task, in outline order. */
  async function outline(b: BackendUnderTest, projectId: string): Promise<Array<[string, string | null]>> {
    const { tasks } = await b.backend.listTasks(projectId);
    const text = new Map(tasks.map((t) => [t.id, t.text]));
    return tasks.map((t) => [t.text, t.parentId === null ? null : (text.get(t.parentId) ?? `?${t.parentId}`)]);
  }

  async function create(b: BackendUnderTest, projectId: string, inputs: ApiTaskCreateInput[]): Promise<string[]> {
    return (await b.backend.createTasks(projectId, inputs)).map((t) => t.id);
  }

  /** The error a call rejects with (fails the case when it resolves). */
  async function failure(call: Promise<unknown>): Promise<TaskadeError> {
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskadeError);
    return error as TaskadeError;
  }

  describe(`Taskade backend contract: ${name}`, () => {
    describe('listing', () => {
      it(
        'lists the outline flat in pre-order, top level as parent null, with the root id apart',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [{ text: 'A', completed: true, children: [{ text: 'A1' }] }, { text: 'B' }],
          });
          const list = await b.backend.listTasks(projectId);
          const [a, a1, bb] = taskIds;
          expect(list.tasks).toEqual([
            { id: a, text: 'A', parentId: null, completed: true },
            { id: a1, text: 'A1', parentId: a, completed: false },
            { id: bb, text: 'B', parentId: null, completed: false },
          ]);
          expect(list.rootId).toEqual(expect.any(String));
          expect(taskIds).not.toContain(list.rootId);
          expect(list.pages).toBe(1);
        }),
      );

      it(
        'pages by pageSize counting the root node, ending on a short page: 9 tasks at 5 take 3 pages',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: Array.from({ length: 9 }, (_, i) => ({ text: `T${i}` })),
          });
          const list = await b.backend.listTasks(projectId, { pageSize: 5 });
          expect(list.tasks.map((t) => t.id)).toEqual(taskIds);
          expect(list.pages).toBe(3);
          expect((await b.backend.listTasks(projectId, { pageSize: 4 })).pages).toBe(3);
        }),
      );

      it(
        'lists an empty project as no tasks in one page',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'Empty' });
          await expect(b.backend.listTasks(projectId)).resolves.toMatchObject({ tasks: [], pages: 1 });
        }),
      );

      it(
        'refuses a page size outside 1..1000 with a TypeError, before any request',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P' });
          await expect(b.backend.listTasks(projectId, { pageSize: 0 })).rejects.toThrow(TypeError);
          await expect(b.backend.listTasks(projectId, { pageSize: 1001 })).rejects.toThrow(TypeError);
        }),
      );
    });

    describe('a list read page by page while another user moves a task', () => {
      /** T0..T8 read 4 at a time (the root node first): after the first page, `move` runs once. */
      const readWhileMoving = async (
        b: BackendUnderTest,
        move: (projectId: string, ids: string[]) => void,
      ): Promise<string[]> => {
        const { projectId, taskIds } = b.seedProject({
          name: 'P',
          tasks: Array.from({ length: 9 }, (_, i) => ({ text: `T${i}` })),
        });
        let armed = true;
        b.afterPage((id) => {
          if (!armed || id !== projectId) return;
          armed = false;
          move(projectId, taskIds);
        });
        const list = await b.backend.listTasks(projectId, { pageSize: 4 });
        b.afterPage(undefined);
        expect(list.pages).toBeGreaterThan(1);
        return list.tasks.map((t) => t.text);
      };

      it(
        'is read again when a task read on a page shows up on a later one: each task once, at its new place',
        withBackend(async (b) => {
          const texts = await readWhileMoving(b, (projectId, ids) =>
            b.moveTask(projectId, ids[1]!, { taskId: ids[8]!, position: 'afterend' }),
          );
          expect(texts).toEqual(['T0', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T1']);
        }),
      );

      it(
        'misses a task moved from a page not yet read to one already read (the engine reads such a list again)',
        withBackend(async (b) => {
          const texts = await readWhileMoving(b, (projectId, ids) =>
            b.moveTask(projectId, ids[6]!, { taskId: ids[0]!, position: 'afterend' }),
          );
          expect(texts).toEqual(['T0', 'T1', 'T2', 'T3', 'T4', 'T5', 'T7', 'T8']);
        }),
      );
    });

    describe('creating places tasks DOM-style', () => {
      it(
        'without an anchor: afterbegin is the top of the project, beforeend the bottom',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'Middle' }] });
          await create(b, projectId, [
            { ...md('Bottom'), placement: 'beforeend' },
            { ...md('Top'), placement: 'afterbegin' },
          ]);
          expect(await outline(b, projectId)).toEqual([
            ['Top', null],
            ['Middle', null],
            ['Bottom', null],
          ]);
        }),
      );

      it(
        'with an anchor: siblings before and after it, first and last child inside it',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [{ text: 'X', children: [{ text: 'X1' }] }],
          });
          const x = taskIds[0] as string;
          await create(b, projectId, [
            { ...md('Before X'), placement: 'beforebegin', taskId: x },
            { ...md('After X'), placement: 'afterend', taskId: x },
            { ...md('First in X'), placement: 'afterbegin', taskId: x },
            { ...md('Last in X'), placement: 'beforeend', taskId: x },
          ]);
          expect(await outline(b, projectId)).toEqual([
            ['Before X', null],
            ['X', null],
            ['First in X', 'X'],
            ['X1', 'X'],
            ['Last in X', 'X'],
            ['After X', null],
          ]);
        }),
      );

      it(
        'inserts each element at its own anchor in order, so afterend at one anchor reads reversed',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          await create(b, projectId, [
            { ...md('One'), placement: 'afterend', taskId: taskIds[0] as string },
            { ...md('Two'), placement: 'afterend', taskId: taskIds[0] as string },
          ]);
          expect((await outline(b, projectId)).map(([text]) => text)).toEqual(['A', 'Two', 'One']);
        }),
      );

      it(
        'answers the created tasks in request order with their ids, which the list then shows',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'Anchor' }] });
          const created = await b.backend.createTasks(projectId, [
            { ...md('Child **one**'), placement: 'beforeend', taskId: taskIds[0] as string },
            { ...md('Top'), placement: 'beforeend' },
          ]);
          expect(created.map((t) => t.text)).toEqual(['Child **one**', 'Top']);
          const { tasks } = await b.backend.listTasks(projectId);
          expect(tasks.map((t) => t.id)).toEqual([taskIds[0], ...created.map((t) => t.id)]);
          expect(tasks[1]?.parentId).toBe(taskIds[0]);
        }),
      );

      it(
        'anchoring on the root node means the top or bottom of the project',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const { rootId } = await b.backend.listTasks(projectId);
          await create(b, projectId, [{ ...md('First'), placement: 'afterbegin', taskId: rootId as string }]);
          expect(await outline(b, projectId)).toEqual([
            ['First', null],
            ['A', null],
          ]);
          const error = await failure(
            b.backend.createTasks(projectId, [
              { ...md('Beside root'), placement: 'afterend', taskId: rootId as string },
            ]),
          );
          expect(error).toMatchObject({ code: 'VALIDATION', status: 400 });
        }),
      );
    });

    describe('create limits are refused and change nothing', () => {
      it(
        'takes 20 tasks in one create and refuses 21 or none, before sending',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P' });
          const batch = (n: number): ApiTaskCreateInput[] =>
            Array.from({ length: n }, (_, i) => ({ ...md(`T${i}`), placement: 'beforeend' }));
          expect(await create(b, projectId, batch(20))).toHaveLength(20);
          for (const n of [21, 0]) {
            expect(await failure(b.backend.createTasks(projectId, batch(n)))).toMatchObject({
              code: 'VALIDATION',
              status: null,
            });
          }
          expect((await b.backend.listTasks(projectId)).tasks).toHaveLength(20);
        }),
      );

      it(
        'takes text of 2000 characters on one line and refuses 2001 or a line break, on create and update',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const a = taskIds[0] as string;
          const long = 'x'.repeat(2000);
          const [id] = await create(b, projectId, [{ ...md(long), placement: 'beforeend' }]);
          await b.backend.updateTaskText(projectId, a, long);
          for (const bad of [`${long}x`, 'two\nlines', 'carriage\rreturn']) {
            const onCreate = b.backend.createTasks(projectId, [{ ...md(bad), placement: 'beforeend' }]);
            expect(await failure(onCreate)).toMatchObject({ code: 'VALIDATION', status: null });
            expect(await failure(b.backend.updateTaskText(projectId, a, bad))).toMatchObject({
              code: 'VALIDATION',
              status: null,
            });
          }
          const { tasks } = await b.backend.listTasks(projectId);
          expect(tasks.map((t) => [t.id, t.text.length])).toEqual([
            [a, 2000],
            [id, 2000],
          ]);
        }),
      );

      it(
        'refuses beforebegin and afterend without an anchor, before sending',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P' });
          for (const placement of ['beforebegin', 'afterend'] as const) {
            const unanchored = { ...md('X'), placement } as unknown as ApiTaskCreateInput;
            expect(await failure(b.backend.createTasks(projectId, [unanchored]))).toMatchObject({
              code: 'VALIDATION',
              status: null,
            });
          }
          expect((await b.backend.listTasks(projectId)).tasks).toEqual([]);
        }),
      );

      it(
        'refuses a whole batch whose anchor is not in the project: 400, nothing created',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const error = await failure(
            b.backend.createTasks(projectId, [
              { ...md('Fine'), placement: 'beforeend' },
              { ...md('Lost'), placement: 'afterend', taskId: NO_TASK },
            ]),
          );
          expect(error).toMatchObject({ code: 'VALIDATION', status: 400, method: 'POST' });
          expect(await outline(b, projectId)).toEqual([['A', null]]);
        }),
      );
    });

    describe('moving a task moves its subtree', () => {
      it(
        'moves a task with its children before a sibling, into another task, and to the top level',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [{ text: 'A', children: [{ text: 'A1' }] }, { text: 'B' }],
          });
          const [a, , bb] = taskIds as [string, string, string];
          await b.backend.moveTask(projectId, a, { taskId: bb, position: 'afterend' });
          expect(await outline(b, projectId)).toEqual([
            ['B', null],
            ['A', null],
            ['A1', 'A'],
          ]);
          await b.backend.moveTask(projectId, bb, { taskId: a, position: 'beforeend' });
          expect(await outline(b, projectId)).toEqual([
            ['A', null],
            ['A1', 'A'],
            ['B', 'A'],
          ]);
          const { rootId } = await b.backend.listTasks(projectId);
          await b.backend.moveTask(projectId, bb, { taskId: rootId as string, position: 'afterbegin' });
          expect((await outline(b, projectId))[0]).toEqual(['B', null]);
        }),
      );

      it(
        'refuses moving relative to itself before sending, and into its own subtree with a 400',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [{ text: 'A', children: [{ text: 'A1' }] }],
          });
          const [a, a1] = taskIds as [string, string];
          expect(await failure(b.backend.moveTask(projectId, a, { taskId: a, position: 'afterend' }))).toMatchObject({
            code: 'VALIDATION',
            status: null,
          });
          expect(await failure(b.backend.moveTask(projectId, a, { taskId: a1, position: 'beforeend' }))).toMatchObject({
            code: 'VALIDATION',
            status: 400,
          });
          expect(await outline(b, projectId)).toEqual([
            ['A', null],
            ['A1', 'A'],
          ]);
        }),
      );

      it(
        'answers an unknown task with 404 and an unknown target with 400',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const a = taskIds[0] as string;
          expect(
            await failure(b.backend.moveTask(projectId, NO_TASK, { taskId: a, position: 'afterend' })),
          ).toMatchObject({ code: 'NOT_FOUND', status: 404, method: 'PUT' });
          expect(
            await failure(b.backend.moveTask(projectId, a, { taskId: NO_TASK, position: 'afterend' })),
          ).toMatchObject({ code: 'VALIDATION', status: 400 });
        }),
      );
    });

    describe('deleting', () => {
      it(
        'deletes a task with its whole subtree, and deleting it again succeeds',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [{ text: 'A', children: [{ text: 'A1', children: [{ text: 'A1a' }] }] }, { text: 'B' }],
          });
          const [a, a1] = taskIds as [string, string];
          await b.backend.deleteTask(projectId, a);
          expect(await outline(b, projectId)).toEqual([['B', null]]);
          await b.backend.deleteTask(projectId, a);
          await b.backend.deleteTask(projectId, a1);
          expect(await failure(b.backend.updateTaskText(projectId, a1, 'gone'))).toMatchObject({
            code: 'NOT_FOUND',
            status: 404,
          });
        }),
      );

      it(
        'refuses to delete or edit the root node with a 400',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const root = (await b.backend.listTasks(projectId)).rootId as string;
          expect(await failure(b.backend.deleteTask(projectId, root))).toMatchObject({
            code: 'VALIDATION',
            status: 400,
          });
          expect(await failure(b.backend.updateTaskText(projectId, root, 'Renamed'))).toMatchObject({
            code: 'VALIDATION',
            status: 400,
          });
        }),
      );
    });

    describe('text and completion', () => {
      it(
        'updates the text verbatim, markdown included',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          await b.backend.updateTaskText(projectId, taskIds[0] as string, 'A with [a link](https://example.com)');
          expect(await outline(b, projectId)).toEqual([['A with [a link](https://example.com)', null]]);
        }),
      );

      it(
        'completes and reopens a task, and treats completing a completed one (or reopening an open one) as done',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [
              { text: 'A', children: [{ text: 'A1' }] },
              { text: 'B', completed: true },
            ],
          });
          const [a, , bb] = taskIds as [string, string, string];
          await b.backend.setCompleted(projectId, a, true);
          await b.backend.setCompleted(projectId, a, true);
          await b.backend.setCompleted(projectId, bb, false);
          await b.backend.setCompleted(projectId, bb, false);
          const { tasks } = await b.backend.listTasks(projectId);
          // Completion does not cascade to children.
          expect(tasks.map((t) => [t.text, t.completed])).toEqual([
            ['A', true],
            ['A1', false],
            ['B', false],
          ]);
        }),
      );

      it(
        'refuses to complete the root node with a 400',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const root = (await b.backend.listTasks(projectId)).rootId as string;
          expect(await failure(b.backend.setCompleted(projectId, root, true))).toMatchObject({
            code: 'VALIDATION',
            status: 400,
            method: 'POST',
            route: '/projects/{projectId}/tasks/{taskId}/complete',
          });
        }),
      );
    });

    describe('notes, dates and assignees', () => {
      it(
        'round-trips a note, a date and assignees, and reads them back as absent once deleted',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const id = taskIds[0] as string;
          await expect(b.backend.getNote(projectId, id)).resolves.toBeNull();
          await expect(b.backend.getDate(projectId, id)).resolves.toBeNull();
          await expect(b.backend.getAssignees(projectId, id)).resolves.toEqual([]);

          await b.backend.putNote(projectId, id, 'A note with **markdown**');
          await b.backend.putDate(projectId, id, {
            start: { date: '2026-12-01', time: '09:30', timezone: 'Europe/Berlin' },
            end: { date: '2026-12-02' },
          });
          await b.backend.putAssignees(projectId, id, ['alice', 'bob', 'alice']);
          await expect(b.backend.getNote(projectId, id)).resolves.toBe('A note with **markdown**');
          await expect(b.backend.getDate(projectId, id)).resolves.toEqual({
            start: { date: '2026-12-01', time: '09:30', timezone: 'Europe/Berlin' },
            end: { date: '2026-12-02' },
          });
          await expect(b.backend.getAssignees(projectId, id)).resolves.toEqual(['alice', 'bob']);

          await b.backend.putAssignees(projectId, id, ['bob']);
          await expect(b.backend.getAssignees(projectId, id)).resolves.toEqual(['bob']);
          await b.backend.deleteNote(projectId, id);
          await b.backend.deleteDate(projectId, id);
          await b.backend.deleteAssignee(projectId, id, 'bob');
          await expect(b.backend.getNote(projectId, id)).resolves.toBeNull();
          await expect(b.backend.getDate(projectId, id)).resolves.toBeNull();
          await expect(b.backend.getAssignees(projectId, id)).resolves.toEqual([]);
        }),
      );

      it(
        'deletes a note, date or assignee that is not there without an error',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const id = taskIds[0] as string;
          await b.backend.deleteNote(projectId, id);
          await b.backend.deleteDate(projectId, id);
          await b.backend.deleteAssignee(projectId, id, 'alice');
          await expect(b.backend.getAssignees(projectId, id)).resolves.toEqual([]);
        }),
      );

      it(
        'refuses an empty note, a note with a line break, a malformed date and an empty handle, before sending',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({
            name: 'P',
            tasks: [{ text: 'A', note: 'Seeded\nover lines' }],
          });
          const id = taskIds[0] as string;
          // Thunks: each call starts only when awaited, so no rejection goes unhandled meanwhile.
          const refusals = [
            () => b.backend.putNote(projectId, id, ''),
            () => b.backend.putNote(projectId, id, 'two\nlines'),
            () => b.backend.putDate(projectId, id, { start: { date: '1 Dec 2026' } }),
            () => b.backend.putDate(projectId, id, { start: { date: '2026-12-01', time: '25:00' } }),
            () => b.backend.putAssignees(projectId, id, ['alice', '']),
            () => b.backend.deleteAssignee(projectId, id, ''),
          ];
          for (const call of refusals) {
            expect(await failure(call())).toMatchObject({ code: 'VALIDATION', status: null });
          }
          // A note written in Taskade's own editor may span lines; reading it gives it whole.
          await expect(b.backend.getNote(projectId, id)).resolves.toBe('Seeded\nover lines');
          await expect(b.backend.getDate(projectId, id)).resolves.toBeNull();
          await expect(b.backend.getAssignees(projectId, id)).resolves.toEqual([]);
        }),
      );

      it(
        'lists the project members, then every other assigned handle',
        withBackend(async (b) => {
          const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const before = (await b.backend.listMembers(projectId)).map((m) => m.handle);
          expect(before.length).toBeGreaterThan(0);
          await b.backend.putAssignees(projectId, taskIds[0] as string, ['carol']);
          expect((await b.backend.listMembers(projectId)).map((m) => m.handle)).toEqual([...before, 'carol']);
        }),
      );
    });

    describe('unknown tasks and projects', () => {
      it(
        'answers writes to an unknown task with the 404 NOT_FOUND error, naming the route',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          const calls: Array<[() => Promise<unknown>, string, string]> = [
            [() => b.backend.updateTaskText(projectId, NO_TASK, 'X'), 'PUT', '/projects/{projectId}/tasks/{taskId}'],
            [
              () => b.backend.setCompleted(projectId, NO_TASK, true),
              'POST',
              '/projects/{projectId}/tasks/{taskId}/complete',
            ],
            [() => b.backend.putNote(projectId, NO_TASK, 'N'), 'PUT', '/projects/{projectId}/tasks/{taskId}/note'],
            [
              () => b.backend.putDate(projectId, NO_TASK, { start: { date: '2026-12-01' } }),
              'PUT',
              '/projects/{projectId}/tasks/{taskId}/date',
            ],
            [
              () => b.backend.putAssignees(projectId, NO_TASK, ['alice']),
              'PUT',
              '/projects/{projectId}/tasks/{taskId}/assignees',
            ],
            [() => b.backend.getAssignees(projectId, NO_TASK), 'GET', '/projects/{projectId}/tasks/{taskId}/assignees'],
          ];
          for (const [call, method, route] of calls) {
            expect(await failure(call())).toMatchObject({ code: 'NOT_FOUND', status: 404, method, route });
          }
        }),
      );

      it(
        'reads the note and date of an unknown task as absent, and deletes on it succeed',
        withBackend(async (b) => {
          const { projectId } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
          await expect(b.backend.getNote(projectId, NO_TASK)).resolves.toBeNull();
          await expect(b.backend.getDate(projectId, NO_TASK)).resolves.toBeNull();
          await b.backend.deleteTask(projectId, NO_TASK);
          await b.backend.deleteNote(projectId, NO_TASK);
          await b.backend.deleteDate(projectId, NO_TASK);
          await b.backend.deleteAssignee(projectId, NO_TASK, 'alice');
          expect(await outline(b, projectId)).toEqual([['A', null]]);
        }),
      );

      it(
        'answers an unknown project with 404 on listing, creating and members',
        withBackend(async (b) => {
          expect(await failure(b.backend.listTasks(NO_PROJECT))).toMatchObject({
            code: 'NOT_FOUND',
            status: 404,
            route: '/projects/{projectId}/tasks',
          });
          expect(
            await failure(b.backend.createTasks(NO_PROJECT, [{ ...md('X'), placement: 'beforeend' }])),
          ).toMatchObject({ code: 'NOT_FOUND', status: 404, route: '/projects/{projectId}/tasks/' });
          expect(await failure(b.backend.listMembers(NO_PROJECT))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
        }),
      );
    });

    it(
      'rejects a call whose signal is already aborted, with its reason, and changes nothing',
      withBackend(async (b) => {
        const { projectId, taskIds } = b.seedProject({ name: 'P', tasks: [{ text: 'A' }] });
        const controller = new AbortController();
        const reason = new Error('stopped by the test');
        controller.abort(reason);
        await expect(
          b.backend.updateTaskText(projectId, taskIds[0] as string, 'B', { signal: controller.signal }),
        ).rejects.toBe(reason);
        await expect(b.backend.listTasks(projectId, { signal: controller.signal })).rejects.toBe(reason);
        expect(await outline(b, projectId)).toEqual([['A', null]]);
      }),
    );
  });
}
