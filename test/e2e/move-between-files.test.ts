import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce, type SyncReport } from '../../src/engine/index.js';
import type { TaskadeClient } from '../../src/taskade/index.js';
import { fileOutline, remoteOutline, startWorld, type World } from './harness.js';

/**
 * Issue 9, "Identity that survives": an item cut from one linked file and pasted into another,
 * its `^tk-` id with it. Taskade v1 cannot move a task between projects, so the task is created in
 * the new project with every field first and deleted from the old one only after that.
 */

let w: World;
afterEach(async () => {
  await w?.close();
});

const LIST = 'GET /projects/{projectId}/tasks';
const CREATE = 'POST /projects/{projectId}/tasks/';
const DELETE = 'DELETE /projects/{projectId}/tasks/{taskId}';
const FIELD_READS = {
  'GET /projects/{projectId}/tasks/{taskId}/note': 1,
  'GET /projects/{projectId}/tasks/{taskId}/date': 1,
  'GET /projects/{projectId}/tasks/{taskId}/assignees': 1,
};
const FIELD_WRITES = {
  'POST /projects/{projectId}/tasks/{taskId}/complete': 1,
  'PUT /projects/{projectId}/tasks/{taskId}/note': 1,
  'PUT /projects/{projectId}/tasks/{taskId}/date': 1,
  'PUT /projects/{projectId}/tasks/{taskId}/assignees': 1,
};

const linked = (projectId: string) => `---\ntaskade:\n  project: ${projectId}\n---\n`;

/** Two linked files `from` and `to`, their projects seeded, synced once. */
async function twoFiles(o: {
  from: string;
  to: string;
  fromTasks: Parameters<World['sim']['seedProject']>[0]['tasks'];
  toTasks?: Parameters<World['sim']['seedProject']>[0]['tasks'];
}): Promise<{ a: string; b: string }> {
  w = await startWorld();
  const a = w.sim.seedProject({ name: 'From', tasks: o.fromTasks }).projectId;
  const b = w.sim.seedProject({ name: 'To', tasks: o.toTasks ?? [{ text: 'Other' }] }).projectId;
  w.write(o.from, linked(a));
  w.write(o.to, linked(b));
  expect((await w.sync()).exitCode).toBe(0);
  return { a, b };
}

/** Cuts the item whose first line contains `text` (with its note lines and subtree) from one file to the end of another. */
function cutAndPaste(from: string, to: string, text: string): string[] {
  const lines = w.read(from).split('\n');
  const at = lines.findIndex((l) => l.includes(text));
  const indent = /^ */.exec(lines[at]!)![0].length;
  let end = at + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && /^ */.exec(lines[end]!)![0].length > indent) end++;
  const block = lines.splice(at, end - at).map((l) => l.slice(indent));
  w.write(from, lines.join('\n'));
  w.write(to, `${w.read(to).replace(/\n*$/, '\n')}${block.join('\n')}\n`);
  return block;
}

/** Every field of a project's tasks, by text, through the public API. */
async function fields(client: TaskadeClient, projectId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of (await client.listTasks(projectId)).tasks) {
    out[t.text] = {
      completed: t.completed,
      note: await client.getNote(projectId, t.id),
      date: (await client.getDate(projectId, t.id))?.start ?? null,
      assignees: await client.getAssignees(projectId, t.id),
    };
  }
  return out;
}

const SHIP = {
  text: 'Ship it',
  completed: true,
  note: 'the release note',
  date: { date: '2026-12-01', time: '09:30' },
  assignees: ['alice'],
};

describe('e2e: a task moved to another linked file (issue 9)', () => {
  for (const order of ['the old file syncs first', 'the new file syncs first'] as const) {
    it(`keeps its text, completion, note, date and assignees: reads, 1 create, 4 field writes, then 1 delete (${order})`, async () => {
      const [from, to] = order === 'the old file syncs first' ? ['a.md', 'b.md'] : ['b.md', 'a.md'];
      const { a, b } = await twoFiles({ from, to, fromTasks: [{ text: 'Keep' }, SHIP] });
      const idInA = w.journal.getBase(a).find((t) => t.text === 'Ship it')!.id;
      cutAndPaste(from, to, 'Ship it');
      w.sim.resetStats();
      const exchanges = w.sim.exchanges().length;

      const r = await w.sync();
      expect(r.exitCode).toBe(0);
      // The old project's list is read once, or twice when its pass comes after the delete.
      expect(w.sim.stats().requests).toEqual({
        [LIST]: order === 'the old file syncs first' ? 2 : 3,
        'GET /projects/{projectId}/members': 1,
        ...FIELD_READS,
        [CREATE]: 1,
        ...FIELD_WRITES,
        [DELETE]: 1,
      });
      // Created with every field before the old task is deleted.
      const writes = w.sim
        .exchanges()
        .slice(exchanges)
        .filter((e) => e.method !== 'GET')
        .map((e) => `${e.method} ${e.route}`);
      expect(writes.indexOf(`${CREATE.split(' ')[0]} ${CREATE.split(' ')[1]}`)).toBe(0);
      expect(writes.at(-1)).toBe(DELETE);

      expect(await remoteOutline(w.client, a)).toEqual(['Keep']);
      expect(await remoteOutline(w.client, b)).toEqual(['Other', '[x] Ship it']);
      expect((await fields(w.client, b))['Ship it']).toEqual({
        completed: true,
        note: 'the release note',
        date: { date: '2026-12-01', time: '09:30' },
        assignees: ['alice'],
      });
      const idInB = w.journal.getBase(b).find((t) => t.text === 'Ship it')!.id;
      expect(idInB).not.toBe(idInA);
      expect(w.read(to)).toMatch(
        new RegExp(
          `- \\[x\\] Ship it @alice ⏰ 09:30 📅 2026-12-01 \\^tk-${idInB.slice(0, 8)}\\w*\\n {2}the release note\\n`,
        ),
      );
      expect(w.journal.getBase(a).map((t) => t.text)).toEqual(['Keep']);
      expect(w.journal.listMoves(a)).toEqual([]);

      w.sim.resetStats();
      const again = await w.sync();
      expect(again.exitCode).toBe(0);
      expect(again.requests.writes).toBe(0);
    });
  }

  it('with its subtree: created level by level in the new project, the old one deleted with one request', async () => {
    const { a, b } = await twoFiles({
      from: 'a.md',
      to: 'b.md',
      fromTasks: [
        { text: 'Keep' },
        {
          text: 'Parent',
          note: 'parent note',
          children: [{ text: 'Child', date: { date: '2027-01-15' } }, { text: 'Second' }],
        },
      ],
    });
    cutAndPaste('a.md', 'b.md', 'Parent');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    const requests = w.sim.stats().requests;
    expect(requests[CREATE]).toBe(2);
    expect(requests[DELETE]).toBe(1);
    expect(requests['GET /projects/{projectId}/tasks/{taskId}/note']).toBe(3);
    expect(requests['PUT /projects/{projectId}/tasks/{taskId}/note']).toBe(1);
    expect(requests['PUT /projects/{projectId}/tasks/{taskId}/date']).toBe(1);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Parent', '  Child', '  Second']);
    const got = await fields(w.client, b);
    expect(got['Parent']).toMatchObject({ note: 'parent note' });
    expect(got['Child']).toMatchObject({ date: { date: '2027-01-15' } });
    expect(w.journal.getBase(a).map((t) => t.text)).toEqual(['Keep']);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('edited in Taskade in its old project meanwhile: the edit comes along to the new task and into the file', async () => {
    const { a, b } = await twoFiles({ from: 'a.md', to: 'b.md', fromTasks: [{ text: 'Keep' }, SHIP] });
    cutAndPaste('a.md', 'b.md', 'Ship it');
    // Meanwhile, in Taskade's copy in the old project: a new note, reopened, Bob instead of Alice.
    const old = (await w.other.listTasks(a)).tasks.find((t) => t.text === 'Ship it')!.id;
    await w.other.putNote(a, old, 'edited in Taskade');
    await w.other.setCompleted(a, old, false);
    await w.other.putAssignees(a, old, ['bob']);
    await w.other.deleteAssignee(a, old, 'alice');

    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Ship it']);
    expect((await fields(w.client, b))['Ship it']).toEqual({
      completed: false,
      note: 'edited in Taskade',
      date: { date: '2026-12-01', time: '09:30' },
      assignees: ['bob'],
    });
    expect(w.read('b.md')).toMatch(/- \[ \] Ship it @bob ⏰ 09:30 📅 2026-12-01 \^tk-\w+\n {2}edited in Taskade\n/);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('edited on both sides meanwhile: a conflict, Taskade wins on the new task, the file keeps its value in the marker', async () => {
    const { a, b } = await twoFiles({ from: 'a.md', to: 'b.md', fromTasks: [SHIP] });
    cutAndPaste('a.md', 'b.md', 'Ship it');
    w.write('b.md', w.read('b.md').replace('the release note', 'edited in the file'));
    const old = (await w.other.listTasks(a)).tasks[0]!.id;
    await w.other.putNote(a, old, 'edited in Taskade');

    const r = await w.sync();
    expect(r.exitCode).toBe(3);
    expect(await remoteOutline(w.client, a)).toEqual([]);
    expect((await fields(w.client, b))['Ship it']).toMatchObject({ note: 'edited in Taskade' });
    expect(w.read('b.md')).toContain('==⚠ conflict note: "edited in the file"==');
    const idInB = w.journal.getBase(b).find((t) => t.text === 'Ship it')!.id;
    expect(w.journal.listConflicts(b).map((c) => [c.taskId, c.field])).toEqual([[idInB, 'note']]);
    expect(w.journal.listConflicts(a)).toEqual([]);
  });

  it('killed right after the create: in both projects, then only in the new one after the next sync (no duplicate)', async () => {
    const { a, b } = await twoFiles({ from: 'a.md', to: 'b.md', fromTasks: [{ text: 'Keep' }, SHIP] });
    cutAndPaste('a.md', 'b.md', 'Ship it');
    // The process dies as the create's answer arrives: nothing after it is sent, the file is not
    // written, the journal holds the create's intent.
    const dies = afterCreate(w.client, () => {
      throw new Error('killed');
    });
    await expect(syncWith(dies)).rejects.toThrow('killed');
    expect(await remoteOutline(w.client, a)).toEqual(['Keep', '[x] Ship it']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Ship it']);

    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests[CREATE] ?? 0).toBe(0);
    expect(w.sim.stats().requests[DELETE]).toBe(1);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', '[x] Ship it']);
    expect((await fields(w.client, b))['Ship it']).toEqual({
      completed: true,
      note: 'the release note',
      date: { date: '2026-12-01', time: '09:30' },
      assignees: ['alice'],
    });
    expect(w.journal.listIntents(b)).toEqual([]);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('stopped right after the create: in both projects, then only in the new one after the next sync (no duplicate)', async () => {
    const { a, b } = await twoFiles({ from: 'a.md', to: 'b.md', fromTasks: [{ text: 'Keep' }, SHIP] });
    cutAndPaste('a.md', 'b.md', 'Ship it');
    // As the model test's kill: the run is stopped (SIGTERM) once the create's answer is in.
    const stop = new AbortController();
    const stopped = afterCreate(w.client, () => stop.abort());
    const first = await syncWith(stopped, stop.signal);
    expect(first.exitCode).not.toBe(0);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep', '[x] Ship it']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Ship it']);

    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests[CREATE] ?? 0).toBe(0);
    expect(w.sim.stats().requests[DELETE]).toBe(1);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', '[x] Ship it']);
    expect((await fields(w.client, b))['Ship it']).toMatchObject({ note: 'the release note', assignees: ['alice'] });
    expect(w.journal.listMoves(a)).toEqual([]);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('pasted twice into the new file (the same line, its id and text): one task, created once', async () => {
    const { a, b } = await twoFiles({ from: 'a.md', to: 'b.md', fromTasks: [{ text: 'Keep' }, { text: 'Twice' }] });
    const block = cutAndPaste('a.md', 'b.md', 'Twice');
    w.write('b.md', `${w.read('b.md')}${block.join('\n')}\n`);
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests[CREATE]).toBe(1);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Twice']);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('a line with its text but no id left where it was is a new task there, not the moved one found again', async () => {
    const { a, b } = await twoFiles({
      from: 'a.md',
      to: 'b.md',
      fromTasks: [{ text: 'Keep' }, { text: 'Look-alike' }],
    });
    const [line] = cutAndPaste('a.md', 'b.md', 'Look-alike');
    // The same text again in the old file, at the moved task's place, without an id.
    w.write('a.md', `${w.read('a.md')}${line!.replace(/ \^tk-\w+/, '')}\n`);
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(await remoteOutline(w.client, a)).toEqual(['Keep', 'Look-alike']);
    expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Look-alike']);
    const [inA, inB] = [w.journal.getBase(a), w.journal.getBase(b)].map(
      (base) => base.find((t) => t.text === 'Look-alike')!.id,
    );
    expect(new Set([inA, inB, /\^tk-(\w+)/.exec(line!)![1]]).size).toBe(3);
    expect(w.read('a.md')).toContain(`Look-alike ^tk-${inA!.slice(0, 8)}`);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('deleted in Taskade in its old project: it comes back in the new one with its file subtree, a task Taskade deleted there included', async () => {
    // a.md: Own {Kid}; b.md: Host. The file moves Host to a.md and Own {Kid} under it; Taskade
    // deletes Host in b's project and Kid in a's. Host's move beats its delete, and its subtree
    // in the file comes with it: Kid, back in its own project under Own as the base has it.
    const { a, b } = await twoFiles({
      from: 'a.md',
      to: 'b.md',
      fromTasks: [{ text: 'Own', children: [{ text: 'Kid', note: 'kid note' }] }],
      toTasks: [{ text: 'Host' }],
    });
    const host = (await w.other.listTasks(b)).tasks.find((t) => t.text === 'Host')!.id;
    const kid = (await w.other.listTasks(a)).tasks.find((t) => t.text === 'Kid')!.id;
    const hostLine = cutAndPaste('b.md', 'a.md', 'Host')[0]!;
    // Own {Kid} (with Kid's note) indented under Host, which goes before it.
    const lines = w.read('a.md').replace(/\n*$/, '').split('\n');
    const own = lines.findIndex((l) => l.includes('Own'));
    const block = lines.slice(own, -1).map((l) => `  ${l}`);
    w.write('a.md', `${[...lines.slice(0, own), hostLine, ...block].join('\n')}\n`);
    expect(fileOutline(w.read('a.md'))).toEqual(['Host', '  Own', '    Kid']);
    await w.other.deleteTask(b, host);
    await w.other.deleteTask(a, kid);

    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    // Three list reads; Host and Kid created (Kid with its note from the file), Own moved under Host.
    // Nothing to delete in b's project: Taskade deleted Host there.
    expect(w.sim.stats().requests).toEqual({
      [LIST]: 3,
      [CREATE]: 2,
      'PUT /projects/{projectId}/tasks/{taskId}/move': 1,
      'PUT /projects/{projectId}/tasks/{taskId}/note': 1,
    });
    expect(r.requests.writes).toBe(4);
    expect(await remoteOutline(w.client, a)).toEqual(['Host', '  Own', '    Kid']);
    expect(await remoteOutline(w.client, b)).toEqual([]);
    expect((await fields(w.client, a))['Kid']).toMatchObject({ note: 'kid note' });
    expect(fileOutline(w.read('a.md'))).toEqual(['Host', '  Own', '    Kid']);
    expect(w.read('a.md')).not.toContain(`^tk-${kid.slice(0, 8)}`);
    expect(w.journal.listMoves(b)).toEqual([]);
    expect((await w.sync()).requests.writes).toBe(0);
  });

  for (const order of ['the old file syncs first', 'the new file syncs first'] as const) {
    it(`whose child stays in the old file: the child stays in the old project, in its place (${order})`, async () => {
      const [from, to] = order === 'the old file syncs first' ? ['a.md', 'b.md'] : ['b.md', 'a.md'];
      const { a, b } = await twoFiles({
        from,
        to,
        fromTasks: [
          { text: 'Keep' },
          { text: 'Parent', children: [{ text: 'Stays', note: 'kept here' }] },
          { text: 'Last' },
        ],
      });
      // Only the parent's line goes; its child (and its note) is outdented in place.
      const lines = w.read(from).split('\n');
      const at = lines.findIndex((l) => l.includes('Parent'));
      const [parent] = lines.splice(at, 1);
      for (let i = at; i < lines.length && lines[i]!.startsWith('  '); i++) lines[i] = lines[i]!.slice(2);
      w.write(from, lines.join('\n'));
      w.write(to, `${w.read(to)}${parent}\n`);

      const r = await w.sync();
      expect(r.exitCode).toBe(0);
      expect(await remoteOutline(w.client, a)).toEqual(['Keep', 'Stays', 'Last']);
      expect(await remoteOutline(w.client, b)).toEqual(['Other', 'Parent']);
      expect((await fields(w.client, a))['Stays']).toMatchObject({ note: 'kept here' });
      expect(w.journal.listMoves(a)).toEqual([]);
      expect((await w.sync()).requests.writes).toBe(0);
    });
  }
});

/** The engine's client, with `then` run as the first create's answer arrives. */
function afterCreate(client: TaskadeClient, then: () => void): TaskadeClient {
  let created = false;
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (created && key !== 'close') then();
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (key === 'createTasks') {
          created = true;
          then();
        }
        return result;
      };
    },
  });
}

function syncWith(client: TaskadeClient, signal?: AbortSignal): Promise<SyncReport> {
  return syncOnce(
    { root: w.root, config: w.config, journal: w.journal, client, logger: { event: (e) => w.events.push(e) } },
    signal === undefined ? {} : { signal },
  );
}
