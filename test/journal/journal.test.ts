import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, LATEST_VERSION } from '../../src/journal/index.js';
import { SyncError } from '../../src/model/errors.js';
import { task, tempDir } from './support.js';

let dir: string;
let cleanup: () => void;
let journal: Journal;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  journal = Journal.open(join(dir, 'notes', '.taskade-sync', 'state.db'));
});

afterEach(() => {
  journal.close();
  cleanup();
});

function linked(projectId = 'P1', path = 'Roadmap.md'): void {
  journal.upsertLink({ path, projectId, fileHash: null, at: 1 });
}

describe('opening', () => {
  it('creates the folders and the file, in WAL mode, at the latest schema', () => {
    expect(existsSync(join(dir, 'notes', '.taskade-sync', 'state.db'))).toBe(true);
    expect(journal.journalMode()).toBe('wal');
    expect(journal.schemaVersion).toBe(LATEST_VERSION);
  });

  it('keeps what was written across close and reopen', () => {
    linked();
    journal.replaceBase('P1', [task('a', null)], 5);
    journal.close();
    journal = Journal.open(join(dir, 'notes', '.taskade-sync', 'state.db'));
    expect(journal.getBase('P1').map((t) => t.id)).toEqual(['a']);
  });

  it('refuses a file that is not an SQLite database, naming it', () => {
    const bogus = join(dir, 'bogus.db');
    writeFileSync(bogus, 'this is not a database, just some text that is long enough to have a header');
    expect(() => Journal.open(bogus)).toThrowError(SyncError);
    expect(() => Journal.open(bogus)).toThrowError(new RegExp(`${bogus}: cannot open the state database`));
  });
});

describe('links', () => {
  it('round-trips a link and finds it by path and by project', () => {
    journal.upsertLink({ path: 'Work/Roadmap.md', projectId: 'P1', fileHash: null, at: 10 });
    const expected = { path: 'Work/Roadmap.md', projectId: 'P1', fileHash: null, linkedAt: 10, updatedAt: 10 };
    expect(journal.getLinkByPath('Work/Roadmap.md')).toEqual(expected);
    expect(journal.getLinkByProject('P1')).toEqual(expected);
    expect(journal.getLinkByPath('Other.md')).toBeNull();
    expect(journal.getLinkByProject('P2')).toBeNull();
  });

  it('upsert keeps the first linkedAt and updates path and hash', () => {
    journal.upsertLink({ path: 'a.md', projectId: 'P1', fileHash: null, at: 10 });
    journal.upsertLink({ path: 'b.md', projectId: 'P1', fileHash: 'h1', at: 20 });
    expect(journal.listLinks()).toEqual([
      { path: 'b.md', projectId: 'P1', fileHash: 'h1', linkedAt: 10, updatedAt: 20 },
    ]);
  });

  it('lists links by path', () => {
    linked('P2', 'z.md');
    linked('P1', 'a.md');
    expect(journal.listLinks().map((l) => l.path)).toEqual(['a.md', 'z.md']);
  });

  it('sets the file hash and moves a link, keeping its base', () => {
    linked('P1', 'old/Roadmap.md');
    journal.putTask('P1', task('a', null), 0, 2);
    journal.setFileHash('P1', 'abc', 3);
    journal.moveLink('P1', 'new/Roadmap.md', 4);
    expect(journal.getLinkByProject('P1')).toMatchObject({ path: 'new/Roadmap.md', fileHash: 'abc', updatedAt: 4 });
    expect(journal.getLinkByPath('old/Roadmap.md')).toBeNull();
    expect(journal.getBase('P1').map((t) => t.id)).toEqual(['a']);
  });

  it('refuses to link a path that another project holds, naming both', () => {
    linked('P1', 'a.md');
    expect(() => journal.upsertLink({ path: 'a.md', projectId: 'P2', fileHash: null, at: 2 })).toThrowError(
      /a\.md is already linked to project P1, cannot link it to P2/,
    );
    linked('P2', 'b.md');
    expect(() => journal.moveLink('P2', 'a.md', 3)).toThrowError(/already linked to project P1/);
  });

  it('names the project when a per-project write has no link', () => {
    const attempts: Array<() => void> = [
      () => journal.setFileHash('P9', 'h', 1),
      () => journal.moveLink('P9', 'x.md', 1),
      () => journal.putTask('P9', task('a', null), 0, 1),
      () => journal.replaceBase('P9', [], 1),
      () =>
        journal.addIntent({ projectId: 'P9', ref: 'k', parentId: null, afterId: null, text: 't', batch: 'b', at: 1 }),
      () =>
        journal.putPollState('P9', {
          listHash: 'h',
          lastPolledAt: 1,
          lastChangedAt: 1,
          intervalMs: 1,
          rotationCursor: null,
        }),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrowError(/no link for project P9; upsertLink first/);
    }
  });

  it('removeLink drops the base, intents, conflicts and poll state of that project only', () => {
    linked('P1', 'a.md');
    linked('P2', 'b.md');
    for (const p of ['P1', 'P2']) {
      journal.replaceBase(p, [task(`${p}-a`, null)], 1);
      journal.addIntent({ projectId: p, ref: 'k', parentId: null, afterId: null, text: 't', batch: 'b', at: 1 });
      journal.putConflict({
        projectId: p,
        taskId: `${p}-a`,
        field: 'text',
        base: 'a',
        local: 'b',
        remote: 'c',
        winner: 'remote',
        at: 1,
      });
      journal.putPollState(p, {
        listHash: 'h',
        lastPolledAt: 1,
        lastChangedAt: 1,
        intervalMs: 1000,
        rotationCursor: null,
      });
    }
    journal.removeLink('P1');
    expect(journal.getLinkByProject('P1')).toBeNull();
    expect(journal.hasBase('P1')).toBe(false);
    expect(journal.getBase('P1')).toEqual([]);
    expect(journal.listIntents('P1')).toEqual([]);
    expect(journal.listConflicts('P1')).toEqual([]);
    expect(journal.getPollState('P1')).toBeNull();
    // The other project is untouched.
    expect(journal.getBase('P2').map((t) => t.id)).toEqual(['P2-a']);
    expect(journal.listIntents('P2')).toHaveLength(1);
    expect(journal.listConflicts()).toHaveLength(1);
    expect(journal.getPollState('P2')).not.toBeNull();
  });
});

describe('base snapshot', () => {
  beforeEach(() => linked());

  it('has no base before the first sync, and has one for a synced empty project', () => {
    expect(journal.hasBase('P1')).toBe(false);
    journal.replaceBase('P1', [], 1);
    expect(journal.hasBase('P1')).toBe(true);
  });

  it('round-trips every field of a record', () => {
    const full = task('a', null, {
      kind: 'section',
      text: 'Ship the **importer** #work',
      completed: true,
      note: 'first line\nsecond line',
      due: { date: '2026-12-01', time: '09:30', timezone: 'Europe/Paris' },
      assignees: ['alice', 'bob'],
    });
    journal.putTask('P1', full, 0, 7);
    expect(journal.getBase('P1')).toEqual([full]);
  });

  it('gives values back in normal form', () => {
    journal.putTask('P1', task('a', null, { note: 'x\r\ny  \n\n', assignees: ['@bob', 'alice', 'bob'] }), 0, 1);
    journal.putTask('P1', task('b', null, { note: '  ' }), 1, 1);
    const [a, b] = journal.getBase('P1');
    expect(a).toMatchObject({ note: 'x\ny', assignees: ['alice', 'bob'] });
    expect(b?.note).toBeNull();
  });

  it('returns nested trees in outline order, siblings by position whatever the write order', () => {
    // Written children first and positions out of order on purpose.
    journal.putTasks(
      'P1',
      [
        { record: task('b2', 'b'), position: 1 },
        { record: task('b1', 'b'), position: 0 },
        { record: task('b1x', 'b1'), position: 0 },
        { record: task('c', null), position: 2 },
        { record: task('a', null), position: 0 },
        { record: task('b', null), position: 1 },
        { record: task('a1', 'a'), position: 5 },
      ],
      1,
    );
    expect(journal.getBase('P1').map((t) => t.id)).toEqual(['a', 'a1', 'b', 'b1', 'b1x', 'b2', 'c']);
  });

  it('putTask updates a row in place: new values, new parent, new position', () => {
    journal.replaceBase('P1', [task('a', null), task('b', null), task('c', 'a')], 1);
    journal.putTask('P1', task('c', 'b', { text: 'moved' }), 0, 2);
    journal.putTask('P1', task('a', null), 5, 2);
    expect(journal.getBase('P1').map((t) => [t.id, t.parentId, t.text])).toEqual([
      ['b', null, 'task b'],
      ['c', 'b', 'moved'],
      ['a', null, 'task a'],
    ]);
  });

  it('keeps a row whose parent is not in the base yet, after the tree', () => {
    journal.putTask('P1', task('child', 'missing-parent'), 0, 1);
    journal.putTask('P1', task('a', null), 0, 1);
    expect(journal.getBase('P1').map((t) => t.id)).toEqual(['a', 'child']);
  });

  it('deleteTask removes the task and all its descendants, nothing else', () => {
    journal.replaceBase(
      'P1',
      [task('a', null), task('a1', 'a'), task('a1x', 'a1'), task('a2', 'a'), task('b', null), task('b1', 'b')],
      1,
    );
    journal.deleteTask('P1', 'a');
    expect(journal.getBase('P1').map((t) => t.id)).toEqual(['b', 'b1']);
  });

  it('deleteTask of an unknown task is a no-op', () => {
    journal.replaceBase('P1', [task('a', null)], 1);
    journal.deleteTask('P1', 'nope');
    expect(journal.getBase('P1')).toHaveLength(1);
  });

  it('replaceBase replaces everything and derives positions from sibling order', () => {
    journal.replaceBase('P1', [task('old', null)], 1);
    journal.replaceBase('P1', [task('x', null), task('x1', 'x'), task('y', null), task('x2', 'x')], 2);
    // x2 comes after x1 among x's children although y sits between them in the input.
    expect(journal.getBase('P1').map((t) => t.id)).toEqual(['x', 'x1', 'x2', 'y']);
  });

  it('keeps projects apart', () => {
    linked('P2', 'b.md');
    journal.replaceBase('P1', [task('a', null)], 1);
    journal.replaceBase('P2', [task('a', null, { text: 'other' })], 1);
    journal.deleteTask('P2', 'a');
    expect(journal.getBase('P1').map((t) => t.text)).toEqual(['task a']);
    expect(journal.getBase('P2')).toEqual([]);
  });

  it('putTasks is all or none', () => {
    expect(() =>
      journal.putTasks(
        'P1',
        [
          { record: task('a', null), position: 0 },
          { record: task('new:k1', null), position: 1 },
        ],
        1,
      ),
    ).toThrowError(/task new:k1 of project P1 has no Taskade id yet/);
    expect(journal.getBase('P1')).toEqual([]);
    expect(journal.hasBase('P1')).toBe(false);
  });

  it('refuses a task that is its own parent, or a position that is not a finite number', () => {
    expect(() => journal.putTask('P1', task('a', 'a'), 0, 1)).toThrowError(
      /task a of project P1 names itself as its parent/,
    );
    expect(() => journal.putTask('P1', task('a', null), Number.NaN, 1)).toThrowError(
      /has position NaN, expected a finite number/,
    );
  });

  it('transaction rolls back every write when the function throws', () => {
    expect(() =>
      journal.transaction(() => {
        journal.putTask('P1', task('a', null), 0, 1);
        journal.setFileHash('P1', 'h', 1);
        throw new Error('boom');
      }),
    ).toThrowError('boom');
    expect(journal.getBase('P1')).toEqual([]);
    expect(journal.getLinkByProject('P1')?.fileHash).toBeNull();
    expect(journal.transaction(() => 42)).toBe(42);
  });
});

describe('assignee writes in flight', () => {
  beforeEach(() => linked());

  it('round-trip per task (a second write of a task replaces the first), drop is harmless twice, unlink removes them', () => {
    linked('P2', 'b.md');
    journal.putAssigneeWrite({ projectId: 'P1', taskId: 't1', from: ['alice', 'bob'], to: [], at: 5 });
    journal.putAssigneeWrite({ projectId: 'P1', taskId: 't2', from: ['bob'], to: ['alice', 'sim-owner'], at: 6 });
    journal.putAssigneeWrite({ projectId: 'P1', taskId: 't1', from: ['bob'], to: ['sim-owner'], at: 7 });
    journal.putAssigneeWrite({ projectId: 'P2', taskId: 't3', from: ['a', 'b'], to: [], at: 8 });
    expect(journal.listAssigneeWrites('P1')).toEqual([
      { projectId: 'P1', taskId: 't2', from: ['bob'], to: ['alice', 'sim-owner'], at: 6 },
      { projectId: 'P1', taskId: 't1', from: ['bob'], to: ['sim-owner'], at: 7 },
    ]);
    journal.dropAssigneeWrite('P1', 't2');
    journal.dropAssigneeWrite('P1', 't2');
    expect(journal.listAssigneeWrites('P1').map((w) => w.taskId)).toEqual(['t1']);
    journal.removeLink('P1');
    expect(journal.listAssigneeWrites('P1')).toEqual([]);
    expect(journal.listAssigneeWrites('P2')).toHaveLength(1);
  });

  it('refuses a write for a project that is not linked, naming it', () => {
    expect(() => journal.putAssigneeWrite({ projectId: 'P9', taskId: 't', from: ['a', 'b'], to: [], at: 1 })).toThrow(
      /no link for project P9/,
    );
  });
});

describe('create intents', () => {
  beforeEach(() => linked());

  it('round-trips intents oldest first, per project', () => {
    linked('P2', 'b.md');
    const first = journal.addIntent({
      projectId: 'P1',
      ref: 'k1',
      parentId: null,
      afterId: 'a',
      text: 'one',
      batch: 'B1',
      at: 5,
    });
    const second = journal.addIntent({
      projectId: 'P1',
      ref: 'k2',
      parentId: 'a',
      afterId: null,
      text: 'two',
      batch: 'B1',
      at: 6,
    });
    journal.addIntent({ projectId: 'P2', ref: 'k3', parentId: null, afterId: null, text: 'three', batch: 'B2', at: 7 });
    expect(second).toBeGreaterThan(first);
    expect(journal.listIntents('P1')).toEqual([
      { id: first, projectId: 'P1', ref: 'k1', parentId: null, afterId: 'a', text: 'one', batch: 'B1', at: 5 },
      { id: second, projectId: 'P1', ref: 'k2', parentId: 'a', afterId: null, text: 'two', batch: 'B1', at: 6 },
    ]);
  });

  it('resolve and drop remove the intent; doing it again is harmless', () => {
    const a = journal.addIntent({
      projectId: 'P1',
      ref: 'k1',
      parentId: null,
      afterId: null,
      text: 'one',
      batch: 'B',
      at: 1,
    });
    const b = journal.addIntent({
      projectId: 'P1',
      ref: 'k2',
      parentId: null,
      afterId: null,
      text: 'two',
      batch: 'B',
      at: 1,
    });
    const c = journal.addIntent({
      projectId: 'P1',
      ref: 'k3',
      parentId: null,
      afterId: null,
      text: 'three',
      batch: 'B',
      at: 1,
    });
    journal.resolveIntent(a, 'T1');
    journal.dropIntent(b);
    expect(journal.listIntents('P1').map((i) => i.id)).toEqual([c]);
    journal.resolveIntent(a, 'T1');
    journal.dropIntent(b);
    expect(journal.listIntents('P1').map((i) => i.id)).toEqual([c]);
  });

  it('keeps the answer of a create whose file could not be written, until the intent is resolved', () => {
    const a = journal.addIntent({
      projectId: 'P1',
      ref: 'k1',
      parentId: null,
      afterId: null,
      text: 'one',
      batch: 'B',
      at: 1,
    });
    const record = {
      parentId: null,
      kind: 'task' as const,
      text: 'one',
      completed: false,
      note: null,
      due: { date: '2026-12-20', time: null, timezone: null },
      assignees: ['alice'],
    };
    journal.answerIntent(a, 'T1', record);
    expect(journal.listIntents('P1')).toEqual([
      {
        id: a,
        projectId: 'P1',
        ref: 'k1',
        parentId: null,
        afterId: null,
        text: 'one',
        batch: 'B',
        at: 1,
        answer: { taskId: 'T1', record },
      },
    ]);
    expect(() => journal.answerIntent(a, 'new:k1', record)).toThrowError(/expected a Taskade task id/);
    journal.resolveIntent(a, 'T1');
    expect(journal.listIntents('P1')).toEqual([]);
    journal.answerIntent(a, 'T1', record); // gone: a no-op
    expect(journal.listIntents('P1')).toEqual([]);
  });

  it('refuses to resolve an intent as a task without a Taskade id', () => {
    const a = journal.addIntent({
      projectId: 'P1',
      ref: 'k1',
      parentId: null,
      afterId: null,
      text: 'one',
      batch: 'B',
      at: 1,
    });
    expect(() => journal.resolveIntent(a, 'new:k1')).toThrowError(
      new RegExp(`create intent ${a} resolved as new:k1, expected a Taskade task id`),
    );
    expect(journal.listIntents('P1')).toHaveLength(1);
  });

  it('survives a close and reopen (the point of an intent: a crash after the POST)', () => {
    journal.addIntent({ projectId: 'P1', ref: 'k1', parentId: null, afterId: null, text: 'one', batch: 'B', at: 1 });
    journal.close();
    journal = Journal.open(join(dir, 'notes', '.taskade-sync', 'state.db'));
    expect(journal.listIntents('P1').map((i) => i.text)).toEqual(['one']);
  });
});

describe("moves owed (a task created in another file's project, still to delete here)", () => {
  it('round-trips per project, replaces one for the same task, drops one, survives a reopen, goes with the link', () => {
    linked('P1', 'a.md');
    linked('P2', 'b.md');
    journal.putMove({ projectId: 'P1', taskId: 't2', toProjectId: 'P2', toTaskId: 'n2', at: 2 });
    journal.putMove({ projectId: 'P1', taskId: 't1', toProjectId: 'P2', toTaskId: 'n1', at: 1 });
    journal.putMove({ projectId: 'P1', taskId: 't1', toProjectId: 'P2', toTaskId: 'n1b', at: 3 });
    journal.putMove({ projectId: 'P2', taskId: 'u1', toProjectId: 'P1', toTaskId: 'm1', at: 1 });
    expect(journal.listMoves('P1')).toEqual([
      { projectId: 'P1', taskId: 't2', toProjectId: 'P2', toTaskId: 'n2', at: 2 },
      { projectId: 'P1', taskId: 't1', toProjectId: 'P2', toTaskId: 'n1b', at: 3 },
    ]);
    journal.dropMove('P1', 't2');
    journal.dropMove('P1', 't2');
    const file = join(dir, 'notes', '.taskade-sync', 'state.db');
    journal.close();
    journal = Journal.open(file);
    expect(journal.listMoves('P1').map((m) => m.taskId)).toEqual(['t1']);
    journal.removeLink('P1');
    expect(journal.listMoves('P1')).toEqual([]);
    expect(journal.listMoves('P2').map((m) => m.taskId)).toEqual(['u1']);
  });

  it('names the project when it has no link', () => {
    expect(() => journal.putMove({ projectId: 'P9', taskId: 't', toProjectId: 'P2', toTaskId: 'n', at: 1 })).toThrow(
      /P9/,
    );
  });
});

describe('conflicts', () => {
  beforeEach(() => linked());

  it('remembers a marker owed to the file until the conflict is put again with its marker written', () => {
    const c = { projectId: 'P1', taskId: 'a', field: 'text' as const, base: 'x', local: 'l', remote: 'r' };
    journal.putConflict({ ...c, winner: 'local', at: 1, markerOwed: true });
    expect(journal.listConflicts('P1')).toEqual([{ ...c, winner: 'local', at: 1, markerOwed: true }]);
    journal.putConflict({ ...c, winner: 'local', at: 2 });
    expect(journal.listConflicts('P1')[0]).not.toHaveProperty('markerOwed');
  });

  it('round-trips conflicts of every field kind, and replaces one on the same task and field', () => {
    const due = { date: '2026-01-01', time: null, timezone: null };
    journal.putConflict({
      projectId: 'P1',
      taskId: 'a',
      field: 'due',
      base: null,
      local: due,
      remote: undefined,
      winner: 'remote',
      at: 1,
    });
    journal.putConflict({
      projectId: 'P1',
      taskId: 'a',
      field: 'text',
      base: 'x',
      local: 'y',
      remote: 'z',
      winner: 'remote',
      at: 2,
    });
    journal.putConflict({
      projectId: 'P1',
      taskId: 'a',
      field: 'text',
      base: 'x',
      local: 'y2',
      remote: 'z',
      winner: 'local',
      at: 3,
    });
    journal.putConflict({
      projectId: 'P1',
      taskId: 'b',
      field: 'assignees',
      base: [],
      local: ['a'],
      remote: ['b'],
      winner: 'remote',
      at: 2,
    });
    expect(journal.listConflicts('P1')).toEqual([
      { projectId: 'P1', taskId: 'a', field: 'due', base: null, local: due, remote: null, winner: 'remote', at: 1 },
      {
        projectId: 'P1',
        taskId: 'b',
        field: 'assignees',
        base: [],
        local: ['a'],
        remote: ['b'],
        winner: 'remote',
        at: 2,
      },
      { projectId: 'P1', taskId: 'a', field: 'text', base: 'x', local: 'y2', remote: 'z', winner: 'local', at: 3 },
    ]);
  });

  it('lists all projects without a filter, and clears one field', () => {
    linked('P2', 'b.md');
    journal.putConflict({
      projectId: 'P1',
      taskId: 'a',
      field: 'text',
      base: 'x',
      local: 'y',
      remote: 'z',
      winner: 'remote',
      at: 1,
    });
    journal.putConflict({
      projectId: 'P1',
      taskId: 'a',
      field: 'completed',
      base: false,
      local: true,
      remote: false,
      winner: 'remote',
      at: 1,
    });
    journal.putConflict({
      projectId: 'P2',
      taskId: 'a',
      field: 'text',
      base: 'x',
      local: 'y',
      remote: 'z',
      winner: 'remote',
      at: 1,
    });
    expect(journal.listConflicts()).toHaveLength(3);
    journal.clearConflict('P1', 'a', 'text');
    expect(journal.listConflicts().map((c) => [c.projectId, c.field])).toEqual([
      ['P1', 'completed'],
      ['P2', 'text'],
    ]);
  });
});

describe('poll state', () => {
  it('round-trips and overwrites', () => {
    linked();
    expect(journal.getPollState('P1')).toBeNull();
    journal.putPollState('P1', {
      listHash: 'h1',
      lastPolledAt: 10,
      lastChangedAt: 5,
      intervalMs: 2000,
      rotationCursor: null,
    });
    journal.putPollState('P1', {
      listHash: 'h2',
      lastPolledAt: 20,
      lastChangedAt: 20,
      intervalMs: 500,
      rotationCursor: 'T7',
    });
    expect(journal.getPollState('P1')).toEqual({
      listHash: 'h2',
      lastPolledAt: 20,
      lastChangedAt: 20,
      intervalMs: 500,
      rotationCursor: 'T7',
    });
  });
});

describe('run log', () => {
  it('records a run from start to finish, newest first', () => {
    const first = journal.startRun({ kind: 'sync', at: 100, files: ['a.md'] });
    journal.finishRun(first, { at: 150, outcome: 'ok', counts: { created: 2, updated: 1 } });
    const second = journal.startRun({ kind: 'watch', at: 200 });
    expect(journal.lastRuns(10)).toEqual([
      {
        id: second,
        kind: 'watch',
        startedAt: 200,
        finishedAt: null,
        outcome: null,
        counts: {},
        files: [],
        error: null,
      },
      {
        id: first,
        kind: 'sync',
        startedAt: 100,
        finishedAt: 150,
        outcome: 'ok',
        counts: { created: 2, updated: 1 },
        files: ['a.md'],
        error: null,
      },
    ]);
    journal.finishRun(second, { at: 300, outcome: 'failed', counts: {}, error: 'Taskade unreachable' });
    expect(journal.lastRuns(1)[0]).toMatchObject({ outcome: 'failed', error: 'Taskade unreachable', finishedAt: 300 });
  });

  it('finishing an unknown run is an error', () => {
    expect(() => journal.finishRun(99, { at: 1, outcome: 'ok', counts: {} })).toThrowError(/no run 99 to finish/);
  });

  it('keeps only the newest 1000 runs', () => {
    journal.transaction(() => {
      for (let i = 0; i < 1005; i++) journal.startRun({ kind: 'sync', at: i });
    });
    const runs = journal.lastRuns(2000);
    expect(runs).toHaveLength(1000);
    expect(runs.at(-1)?.startedAt).toBe(5);
  });
});
