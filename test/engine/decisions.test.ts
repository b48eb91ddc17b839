/**
 * The engine's decisions on its ports' fakes: a strict in-memory Taskade (the same contract suite
 * as the simulator), an in-memory notes folder and an in-memory SQLite journal, a fixed clock. No
 * network, no disk, no real time: each case states what the engine decided and what it cost.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../src/config/index.js';
import { syncOnce, type LogEvent, type SyncRequest } from '../../src/engine/index.js';
import { Journal } from '../../src/journal/index.js';
import { GUARD_READS_MAX } from '../../src/reconcile/decide.js';
import { CREATE_GRACE_MS } from '../../src/reconcile/in-flight.js';
import { EXIT } from '../../src/model/exit-codes.js';
import { TaskadeError } from '../../src/taskade/errors.js';
import { MemoryNotes } from '../support/memory-notes.js';
import { MemoryTaskade } from '../support/memory-taskade.js';

/**
 * The config wants an existing root to resolve; the engine reads and writes notes only through
 * `deps.notes`, so nothing is read or written there (the notes live in `MemoryNotes`).
 */
const ROOT = tmpdir();

function engine(files: Record<string, string>, o: { config?: ConfigInput } = {}) {
  const taskade = new MemoryTaskade();
  const notes = new MemoryNotes(files);
  const journal = Journal.openInMemory();
  const config = resolveConfig({ ...o.config }, { baseDir: ROOT, env: {} });
  const events: LogEvent[] = [];
  let t = 1_700_000_000_000;
  const deps = {
    root: config.root,
    config,
    journal,
    client: taskade,
    notes,
    logger: { event: (e: LogEvent) => events.push(e) },
    clock: { now: () => (t += 1000) },
  };
  const world = {
    taskade,
    notes,
    journal,
    events,
    sync: (request: SyncRequest = {}) => syncOnce(deps, request),
    /** Moves the fixed clock on. */
    advance: (ms: number) => void (t += ms),
    /** The project's task texts in outline order, with their depth. */
    remote(projectId: string): string[] {
      const p = taskade.store.project(projectId);
      const out: string[] = [];
      const walk = (id: string, depth: number): void => {
        for (const child of p.nodes.get(id)!.children) {
          const node = p.nodes.get(child)!;
          out.push(`${'  '.repeat(depth)}${node.completed ? '[x] ' : ''}${node.text}`);
          walk(child, depth + 1);
        }
      };
      walk(p.rootId, 0);
      return out;
    },
  };
  opened.push(journal);
  return world;
}

const opened: Journal[] = [];
afterEach(() => {
  for (const j of opened.splice(0)) j.close();
});

function linked(projectId: string, body: string): string {
  return `---\ntaskade:\n  project: ${projectId}\n---\n${body}`;
}

describe('engine decisions on the fakes', () => {
  it('a first sync creates the items in one request per parent level and writes their ids', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n- [ ] two\n  - [ ] child\n'));
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.OK);
    expect(report.files[0]!.outcome).toBe('synced');
    expect(w.remote(projectId)).toEqual(['one', 'two', '  child']);
    // One list read, then the two top-level items in one create and the child in another.
    expect(report.requests).toEqual({ reads: 1, writes: 2 });
    expect(w.taskade.calls.map((c) => c.method)).toEqual(['GET', 'POST', 'POST']);
    const text = w.notes.files.get('p.md')!;
    expect(text.match(/\^tk-[A-Za-z0-9]+$/gm)).toHaveLength(3);
    expect(w.journal.getBase(projectId).map((t) => t.text)).toEqual(['one', 'two', 'child']);
  });

  it('a second sync decides nothing: its list read is all it costs, and the file is not written', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n- [ ] two\n'));
    await w.sync();
    const writes = w.notes.written.length;
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.files[0]!.outcome).toBe('unchanged');
    expect(report.requests).toEqual({ reads: 1, writes: 0 });
    expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET']);
    expect(w.notes.written.length).toBe(writes);
  });

  it('an item whose ^tk- id was dropped is its task again: the id is written back, nothing deleted or created', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n- [ ] two\n  - [ ] child\n'));
    await w.sync();
    const synced = w.notes.files.get('p.md')!;
    const ids = w.journal.getBase(projectId).map((t) => t.id);
    const dropped = synced.replace(/(- \[ \] two) \^tk-[A-Za-z0-9]+/, '$1');
    expect(dropped).not.toBe(synced);
    w.notes.files.set('p.md', dropped);
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.OK);
    expect(report.requests).toEqual({ reads: 1, writes: 0 });
    expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET']);
    expect(w.notes.files.get('p.md')).toBe(synced);
    expect(w.journal.getBase(projectId).map((t) => t.id)).toEqual(ids);
  });

  it('a dropped id is found by exact text and place only: a delete beside an add stays a delete and a create', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n- [ ] two\n'));
    await w.sync();
    const two = w.journal.getBase(projectId).find((t) => t.text === 'two')!.id;
    // "two" deleted, "other" added in its place (no id): not an edit of "two".
    w.notes.files.set('p.md', w.notes.files.get('p.md')!.replace(/- \[ \] two \^tk-[A-Za-z0-9]+/, '- [ ] other'));
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.OK);
    expect(w.remote(projectId)).toEqual(['one', 'other']);
    expect(w.journal.getBase(projectId).map((t) => t.id)).not.toContain(two);
  });

  it('a task the file deleted, dated in Taskade with a task added under it, comes back with its whole subtree', async () => {
    const w = engine({});
    const { projectId, taskIds } = w.taskade.seedProject({
      name: 'P',
      tasks: [{ text: 't1', children: [{ text: 't2' }, { text: 't3' }] }, { text: 't5' }],
    });
    const t1 = taskIds[0]!;
    w.notes.files.set('p.md', linked(projectId, ''));
    await w.sync();
    const synced = w.notes.files.get('p.md')!;
    const lines = synced.split('\n');
    const subtree = lines.filter((l) => /^ *- \[ \] t[123] /.test(l));
    expect(subtree).toHaveLength(3);
    // The file deletes t1's subtree; Taskade adds t4 under t1 and dates t1 (a sub-resource: not in
    // the list). t1's edit beats the delete for its whole subtree, t4 with it: t2 and t3 stay too.
    w.notes.files.set('p.md', lines.filter((l) => !subtree.includes(l)).join('\n'));
    await w.taskade.createTasks(projectId, [
      { contentType: 'text/markdown', content: 't4', placement: 'beforeend', taskId: t1 },
    ]);
    await w.taskade.putDate(projectId, t1, { start: { date: '2027-01-15' } });
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.OK);
    expect(w.remote(projectId)).toEqual(['t1', '  t2', '  t3', '  t4', 't5']);
    const body = w.notes.files
      .get('p.md')!
      .split('\n')
      .filter((l) => l.includes('- [ ]'));
    expect(body.map((l) => l.replace(/ \^tk-[A-Za-z0-9]+$/, ''))).toEqual([
      '- [ ] t1 📅 2027-01-15',
      '  - [ ] t2',
      '  - [ ] t3',
      '  - [ ] t4',
      '- [ ] t5',
    ]);
    expect(body.slice(1, 3)).toEqual(subtree.slice(1));
    // The list; t4's note, date and assignees (new); then, before deleting t2 and t3, theirs and
    // t1's (the file deleted t1: an edit there keeps them). Nothing to write on Taskade.
    expect(report.requests).toEqual({ reads: 1 + 3 + 9, writes: 0 });
    expect(w.taskade.calls.slice(calls).filter((c) => c.method !== 'GET')).toEqual([]);
    expect(w.journal.getBase(projectId).map((t) => t.text)).toEqual(['t1', 't2', 't3', 't4', 't5']);
    const again = await w.sync();
    expect(again.files[0]!.outcome).toBe('unchanged');
    expect(again.requests).toEqual({ reads: 1, writes: 0 });
  });

  it('the guard stops a mass delete before anything changes on either side, once it read what it would delete', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    const items = ['a', 'b', 'c', 'd', 'e', 'f'].map((t) => `- [ ] ${t}\n`).join('');
    w.notes.files.set('p.md', linked(projectId, items));
    await w.sync();
    const kept = w.notes.files.get('p.md')!.split('\n').slice(0, 5).join('\n') + '\n'; // front matter + 1 item
    w.notes.files.set('p.md', kept);
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.SAFETY_GUARD);
    expect(report.files[0]!.outcome).toBe('guard');
    expect(report.files[0]!.error).toMatch(/would delete 5 of 6 tasks on the remote side/);
    // The list, then the note, date and assignees of the 5 tasks (15 ≤ GUARD_READS_MAX): no edit
    // there, so the plan applied would delete them all, and that is what the guard stops.
    expect(report.requests).toEqual({ reads: 1 + 15, writes: 0 });
    expect(w.taskade.calls.slice(calls).every((c) => c.method === 'GET')).toBe(true);
    expect(w.remote(projectId)).toHaveLength(6);
    expect(w.notes.files.get('p.md')).toBe(kept);
    expect(w.journal.getBase(projectId)).toHaveLength(6);
  });

  it('a dry run plans and changes nothing: no write on Taskade, the file or the journal', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P', tasks: [{ text: 'from Taskade' }] });
    const text = linked(projectId, '- [ ] local\n');
    w.notes.files.set('p.md', text);
    const report = await w.sync({ dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.files[0]!.outcome).toBe('synced');
    expect(report.files[0]!.plan!.remote.map((op) => op.op)).toEqual(['create']);
    expect(report.files[0]!.plan!.local.map((c) => c.type)).toEqual(['insert']);
    expect(w.taskade.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(w.notes.written).toEqual([]);
    expect(w.notes.files.get('p.md')).toBe(text);
    expect(w.journal.hasBase(projectId)).toBe(false);
    expect(w.journal.getLinkByPath('p.md')).toBeNull();
  });

  it('gives way between files when asked: the files not started are unfinished, untouched', async () => {
    const w = engine({});
    const a = w.taskade.seedProject({ name: 'A', tasks: [{ text: 'a' }] });
    const b = w.taskade.seedProject({ name: 'B', tasks: [{ text: 'b' }] });
    w.notes.files.set('a.md', linked(a.projectId, ''));
    w.notes.files.set('b.md', linked(b.projectId, ''));
    const asked: number[] = [];
    const r = await w.sync({
      files: ['a.md', 'b.md'],
      giveWay: async () => {
        asked.push(w.taskade.calls.length);
        return true;
      },
    });
    expect(asked).toEqual([4]); // once, after the first file's 4 reads (never before the first file)
    expect(r.files.map((f) => [f.path, f.outcome])).toEqual([['a.md', 'synced']]);
    expect(r.unfinished).toEqual(['b.md']);
    expect(w.notes.files.get('b.md')).toBe(linked(b.projectId, ''));
    expect(w.journal.getLinkByPath('b.md')).toBeNull();
  });

  it('a save during the pass is planned again once, from a fresh read, and nothing is created twice', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n'));
    let saves = 0;
    w.notes.beforeWrite = (path) => {
      if (saves++ === 0) w.notes.files.set(path, w.notes.files.get(path)! + '- [ ] saved meanwhile\n');
    };
    const report = await w.sync();
    expect(report.files[0]!.outcome).toBe('synced');
    expect(w.events.filter((e) => e.type === 'replan')).toHaveLength(1);
    expect(w.remote(projectId)).toEqual(['one', 'saved meanwhile']);
    expect(w.notes.files.get('p.md')!.match(/\^tk-/g)).toHaveLength(2);
    // The second plan reads the list afresh; with no base yet it reads the first task's note, date
    // and assignees, adopts it by the id its create's answer gave (the id is not in the file yet),
    // and creates only the new item. The answer came: no line calls it lost.
    expect(w.taskade.calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'GET', 'GET', 'POST']);
    expect(w.events.filter((e) => e.type === 'adopt')).toEqual([]);
    expect(w.events.filter((e) => e.type === 'remote-create')).toHaveLength(2);
  });

  it('a file that keeps changing fails after one re-plan; the next run adopts what was created, not again', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n'));
    let n = 0;
    w.notes.beforeWrite = (path) => w.notes.files.set(path, w.notes.files.get(path)! + `%% edit ${n++} %%\n`);
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.UNEXPECTED);
    expect(report.files[0]!.outcome).toBe('failed');
    expect(report.files[0]!.error).toMatch(/kept changing while it was synced/);
    expect(w.events.filter((e) => e.type === 'replan')).toHaveLength(1);
    // The create was answered: its intent holds the task, which the next run adopts by its id.
    const p = w.taskade.store.project(projectId);
    expect(w.journal.listIntents(projectId).map((i) => i.answer?.taskId)).toEqual(p.nodes.get(p.rootId)!.children);
    w.notes.beforeWrite = undefined;
    const before = w.events.length;
    const next = await w.sync();
    expect(next.files[0]!.outcome).toBe('synced');
    expect(w.remote(projectId)).toEqual(['one']);
    expect(w.events.slice(before).filter((e) => e.type === 'remote-create')).toEqual([]);
    expect(w.journal.listIntents(projectId)).toEqual([]);
    expect(w.notes.files.get('p.md')!.match(/\^tk-/g)).toHaveLength(1);
  });

  it('Taskade failing ends the run (exit 6) with the file and the journal untouched', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    const text = linked(projectId, '- [ ] one\n');
    w.notes.files.set('p.md', text);
    w.taskade.beforeCall = ({ method, route }) => {
      throw new TaskadeError({ code: 'SERVER', method, route, status: 503, serverCode: null, serverMessage: 'busy' });
    };
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.UNREACHABLE);
    expect(report.files[0]!.outcome).toBe('failed');
    expect(report.files[0]!.failure).toBe('unreachable');
    expect(w.notes.files.get('p.md')).toBe(text);
    expect(w.journal.hasBase(projectId)).toBe(false);
  });

  it('a project Taskade does not know fails its own file only; the other files go on', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('a.md', linked('gone-project', '- [ ] lost\n'));
    w.notes.files.set('b.md', linked(projectId, '- [ ] kept\n'));
    const report = await w.sync();
    expect(report.files.map((f) => [f.path, f.outcome])).toEqual([
      ['a.md', 'failed'],
      ['b.md', 'synced'],
    ]);
    expect(report.exitCode).toBe(EXIT.UNEXPECTED);
    expect(w.remote(projectId)).toEqual(['kept']);
    expect(w.notes.files.get('a.md')).toBe(linked('gone-project', '- [ ] lost\n'));
  });

  it('a file with parse errors is skipped: nothing is read as deleted', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P', tasks: [{ text: 'remote' }] });
    w.notes.files.set('p.md', `---\ntaskade: [unclosed\n---\n- [ ] x\n`);
    w.notes.files.set('q.md', linked(projectId, ''));
    const report = await w.sync({ files: ['p.md'] });
    expect(report.files[0]!.outcome).toBe('skipped');
    expect(report.files[0]!.error).toMatch(/parse errors/);
    expect(w.taskade.calls).toEqual([]);
  });
});

describe('the guard judges the plan that would be applied', () => {
  /** A project of `n` top-level tasks made from the file, then the file cut to its first item. */
  async function cutTo1(n: number) {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, Array.from({ length: n }, (_, i) => `- [ ] t${i}\n`).join('')));
    await w.sync();
    const kept = w.notes.files.get('p.md')!.split('\n').slice(0, 5).join('\n') + '\n'; // front matter + t0
    w.notes.files.set('p.md', kept);
    return { w, projectId, kept };
  }

  it('a subtree the file deleted, whose root Taskade dated meanwhile, is read before the guard: kept, nothing deleted (exit 0)', async () => {
    const w = engine({});
    const { projectId, taskIds } = w.taskade.seedProject({
      name: 'P',
      tasks: [
        { text: 't1', children: [{ text: 't2' }, { text: 't3' }, { text: 't4' }, { text: 't5' }] },
        { text: 't6' },
      ],
    });
    w.notes.files.set('p.md', linked(projectId, ''));
    await w.sync();
    const synced = w.notes.files.get('p.md')!;
    const lines = synced.split('\n');
    const subtree = lines.filter((l) => /^ *- \[ \] t[1-5] /.test(l));
    expect(subtree).toHaveLength(5);
    // Unread, the plan deletes 5 of 6 tasks: past the guard's share. The date is a sub-resource
    // (not in the list), so only the verified reads before the delete see it; then t1's edit beats
    // the file's delete for its whole subtree and the plan deletes nothing.
    w.notes.files.set('p.md', lines.filter((l) => !subtree.includes(l)).join('\n'));
    await w.taskade.putDate(projectId, taskIds[0]!, { start: { date: '2027-01-15' } });
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.OK);
    expect(report.files[0]!.outcome).toBe('synced');
    expect(w.remote(projectId)).toEqual(['t1', '  t2', '  t3', '  t4', '  t5', 't6']);
    const body = w.notes.files
      .get('p.md')!
      .split('\n')
      .filter((l) => l.includes('- [ ]'));
    expect(body.map((l) => l.replace(/ \^tk-[A-Za-z0-9]+$/, ''))).toEqual([
      '- [ ] t1 📅 2027-01-15',
      '  - [ ] t2',
      '  - [ ] t3',
      '  - [ ] t4',
      '  - [ ] t5',
      '- [ ] t6',
    ]);
    expect(body.slice(1, 5)).toEqual(subtree.slice(1));
    // The list, then the note, date and assignees of the 5 tasks the plan would delete; no write.
    expect(report.requests).toEqual({ reads: 1 + 15, writes: 0 });
    expect(w.taskade.calls.slice(calls).every((c) => c.method === 'GET')).toBe(true);
    expect(w.events.filter((e) => e.type === 'guard-reads')).toHaveLength(1);
    expect(w.journal.getBase(projectId)).toHaveLength(6);
    const again = await w.sync();
    expect(again.files[0]!.outcome).toBe('unchanged');
    expect(again.requests).toEqual({ reads: 1, writes: 0 });
  });

  it('a mass delete owing exactly GUARD_READS_MAX reads (50 tasks) is read, then stopped (exit 4)', async () => {
    const { w, projectId, kept } = await cutTo1(51);
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.SAFETY_GUARD);
    expect(report.files[0]!.error).toMatch(/would delete 50 of 51 tasks on the remote side/);
    expect(report.requests).toEqual({ reads: 1 + GUARD_READS_MAX, writes: 0 });
    expect(w.remote(projectId)).toHaveLength(51);
    expect(w.notes.files.get('p.md')).toBe(kept);
  });

  it('a mass delete owing more (51 tasks, 153 reads) is stopped on the plan unread: its list read is all it costs', async () => {
    const { w, projectId, kept } = await cutTo1(52);
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.SAFETY_GUARD);
    expect(report.files[0]!.error).toMatch(/would delete 51 of 52 tasks on the remote side/);
    expect(report.requests).toEqual({ reads: 1, writes: 0 });
    expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET']);
    expect(w.events.filter((e) => e.type === 'guard-reads')).toEqual([]);
    expect(w.remote(projectId)).toHaveLength(52);
    expect(w.notes.files.get('p.md')).toBe(kept);
    // --force reads before deleting all the same (verified writes): 1 list + 3 × 51 GETs + 51 DELETEs.
    const forced = await w.sync({ force: true });
    expect(forced.exitCode).toBe(EXIT.OK);
    expect(forced.requests).toEqual({ reads: 1 + 153, writes: 51 });
    expect(w.remote(projectId)).toEqual(['t0']);
  });

  it('a side suddenly empty is stopped before any read, even with an edit in Taskade that would keep a task', async () => {
    const w = engine({});
    const { projectId, taskIds } = w.taskade.seedProject({
      name: 'P',
      tasks: [{ text: 't1' }, { text: 't2' }, { text: 't3' }],
    });
    w.notes.files.set('p.md', linked(projectId, ''));
    await w.sync();
    const emptied = linked(projectId, '');
    w.notes.files.set('p.md', emptied);
    await w.taskade.putDate(projectId, taskIds[0]!, { start: { date: '2027-01-15' } });
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.SAFETY_GUARD);
    expect(report.files[0]!.error).toMatch(/^the local side is empty while the journal holds 3 tasks/);
    expect(report.requests).toEqual({ reads: 1, writes: 0 });
    expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET']);
    expect(w.remote(projectId)).toEqual(['t1', 't2', 't3']);
    expect(w.notes.files.get('p.md')).toBe(emptied);
  });
});

describe('a move whose answer was lost', () => {
  // The file moves "two" under "one" and adds "three" after "one". The move's answer never came:
  // the engine does not know whether "two" left the top level. Placed by the engine's picture
  // (before "two", still at the top level there), "three" landed under "one" when Taskade had
  // applied the move, and the next run took that for a move made in Taskade, in the file too.
  it.each([
    { applied: true, reads: 4, writes: 1, after: ['one', '  two'] },
    { applied: false, reads: 1, writes: 2, after: ['one', 'two'] },
  ])(
    'what the run would place in the lists it left or entered waits for the next run (applied: $applied)',
    async ({ applied, reads, writes, after }) => {
      const w = engine({});
      const { projectId } = w.taskade.seedProject({ name: 'P' });
      w.notes.files.set('p.md', linked(projectId, '- [ ] one\n- [ ] two\n'));
      await w.sync();
      const [one, two] = w.notes.files.get('p.md')!.split('\n').slice(4, 6);
      w.notes.files.set('p.md', linked(projectId, `${one}\n  ${two}\n- [ ] three\n`));
      // No answer: after Taskade applied the move, or before (the request itself was lost).
      const lost = new TaskadeError({ code: 'TIMEOUT', method: 'PUT', route: 'move', maybeApplied: true });
      const move = w.taskade.moveTask.bind(w.taskade);
      w.taskade.moveTask = async (...args) => {
        w.taskade.moveTask = move;
        w.taskade.beforeCall = () => {
          w.taskade.beforeCall = undefined;
          if (!applied) throw lost;
        };
        await move(...args);
        throw lost;
      };

      const calls = w.taskade.calls.length;
      const first = await w.sync();
      expect(first.exitCode).toBe(EXIT.UNREACHABLE);
      expect(first.files[0]!.error).toMatch(/^2 of 2 Taskade requests failed/);
      expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET', 'PUT']);
      expect(w.remote(projectId)).toEqual(after);

      // Applied: the list, then the note, date and assignees of "two", which Taskade shows moved,
      // and the create. Not applied: the list, the move again and the create.
      const second = await w.sync();
      expect(second.exitCode).toBe(EXIT.OK);
      expect(second.requests).toEqual({ reads, writes });
      expect(w.remote(projectId)).toEqual(['one', '  two', 'three']);
      const file = w.notes.files.get('p.md')!;
      expect(file.split('\n').slice(4)).toEqual([
        one,
        `  ${two}`,
        expect.stringMatching(/^- \[ \] three \^tk-\w+$/),
        '',
      ]);

      const third = await w.sync();
      expect(third.requests).toEqual({ reads: 1, writes: 0 });
      expect(w.notes.files.get('p.md')).toBe(file);
    },
  );
});

describe('a move whose answer was lost, and another move into the list it went to', () => {
  // The file moves t2 under t1 and t5 under t1 after t2. t2's move gets no answer: Taskade may or
  // may not have put t2 under t1, so t1's list is not known and t5's move, placed "after t2",
  // waits for the next run. Sent anyway, it lands under t1 only if t2's move was applied; if not,
  // "after t2" is the top level.
  it.each([
    { applied: true, after: ['t1', '  t2', 't3', 't4', 't5'], reads: 4, writes: 1 },
    { applied: false, after: ['t1', 't2', 't3', 't4', 't5'], reads: 1, writes: 2 },
  ])(
    'the second move waits for the next run, which places it right (applied: $applied)',
    async ({ applied, after, reads, writes }) => {
      const w = engine({});
      const { projectId } = w.taskade.seedProject({ name: 'P' });
      w.notes.files.set('p.md', linked(projectId, '- [ ] t1\n- [ ] t2\n- [ ] t3\n- [ ] t4\n- [ ] t5\n'));
      await w.sync();
      const [t1, t2, t3, t4, t5] = w.notes.files.get('p.md')!.split('\n').slice(4, 9);
      const moved = linked(projectId, `${t1}\n  ${t2}\n  ${t5}\n${t3}\n${t4}\n`);
      w.notes.files.set('p.md', moved);
      const lost = new TaskadeError({ code: 'TIMEOUT', method: 'PUT', route: 'move', maybeApplied: true });
      const move = w.taskade.moveTask.bind(w.taskade);
      w.taskade.moveTask = async (...args) => {
        w.taskade.moveTask = move;
        w.taskade.beforeCall = () => {
          w.taskade.beforeCall = undefined;
          if (!applied) throw lost;
        };
        await move(...args);
        throw lost;
      };

      const calls = w.taskade.calls.length;
      const first = await w.sync();
      expect(first.exitCode).toBe(EXIT.UNREACHABLE);
      expect(first.files[0]!.error).toMatch(/^2 of 2 Taskade requests failed/);
      // The list and t2's move: t5's is not sent.
      expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET', 'PUT']);
      expect(w.remote(projectId)).toEqual(after);

      // Applied: the list, the note, date and assignees of t2 (Taskade shows it moved), t5's move.
      // Not applied: the list and both moves.
      const second = await w.sync();
      expect(second.exitCode).toBe(EXIT.OK);
      expect(second.files[0]!.conflicts).toEqual([]);
      expect(second.requests).toEqual({ reads, writes });
      expect(w.remote(projectId)).toEqual(['t1', '  t2', '  t5', 't3', 't4']);
      expect(w.notes.files.get('p.md')).toBe(moved);

      const third = await w.sync();
      expect(third.requests).toEqual({ reads: 1, writes: 0 });
      expect(w.notes.files.get('p.md')).toBe(moved);
    },
  );
});

describe('a delete whose answer was lost', () => {
  // The mirror keeps a task whose delete got no answer (Taskade may have applied it). Nothing in
  // the same run is placed by it: the plan's deletes come after every create and move
  // (reconcile/diff-remote.ts; scheduleOps keeps them there), so the new item was placed while
  // t2 was certainly there, and the next run reads the list afresh.
  it.each([
    { applied: true, reads: 1, writes: 0 },
    { applied: false, reads: 4, writes: 1 },
  ])(
    'places nothing by the task it deleted; the next run finds it gone or deletes it (applied: $applied)',
    async ({ applied, reads, writes }) => {
      const w = engine({});
      const { projectId } = w.taskade.seedProject({ name: 'P' });
      w.notes.files.set('p.md', linked(projectId, '- [ ] t1\n- [ ] t2\n- [ ] t3\n'));
      await w.sync();
      const [t1, , t3] = w.notes.files.get('p.md')!.split('\n').slice(4, 7);
      // t2 deleted; "new" added where it was, and "also new" at the end.
      w.notes.files.set('p.md', linked(projectId, `${t1}\n- [ ] new\n${t3}\n- [ ] also new\n`));
      const lost = new TaskadeError({ code: 'TIMEOUT', method: 'DELETE', route: 'task', maybeApplied: true });
      const remove = w.taskade.deleteTask.bind(w.taskade);
      w.taskade.deleteTask = async (...args) => {
        w.taskade.deleteTask = remove;
        w.taskade.beforeCall = () => {
          w.taskade.beforeCall = undefined;
          if (!applied) throw lost;
        };
        await remove(...args);
        throw lost;
      };

      const calls = w.taskade.calls.length;
      const first = await w.sync();
      expect(first.exitCode).toBe(EXIT.UNREACHABLE);
      expect(first.files[0]!.error).toMatch(/^1 of 3 Taskade requests failed/);
      // The list, t2's note, date and assignees (a delete is verified), one create of both items
      // (before t2 and at the end), then the delete.
      expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET', 'GET', 'GET', 'GET', 'POST', 'DELETE']);
      expect(w.remote(projectId)).toEqual(
        applied ? ['t1', 'new', 't3', 'also new'] : ['t1', 'new', 't2', 't3', 'also new'],
      );
      const file = w.notes.files.get('p.md')!;
      expect(file.match(/\^tk-/g)).toHaveLength(4);

      const second = await w.sync();
      expect(second.exitCode).toBe(EXIT.OK);
      expect(second.requests).toEqual({ reads, writes });
      expect(w.remote(projectId)).toEqual(['t1', 'new', 't3', 'also new']);
      expect(w.notes.files.get('p.md')).toBe(file);

      const third = await w.sync();
      expect(third.requests).toEqual({ reads: 1, writes: 0 });
    },
  );
});

describe('an assignee write cut between its requests, then a list read in pages that misses its task', () => {
  // A list read page by page is not one snapshot: a task moved meanwhile from a page not yet read
  // to one already read is in neither. Missing, the task reads as deleted in Taskade; edited in
  // the file, it would be restored, so the list is read again (sync-file). The record of the cut
  // write must outlive that first read, or the second sees the half-written set as Taskade's edit.
  /** A synced task assigned to alice and bob, and the file's unassigning of it cut after one DELETE. */
  async function cutWrite() {
    const w = engine({});
    const { projectId, taskIds } = w.taskade.seedProject({
      name: 'P',
      tasks: [{ text: 'Ship it', assignees: ['alice', 'bob'] }, { text: 'other' }],
    });
    const task = taskIds[0]!;
    w.notes.files.set('p.md', linked(projectId, ''));
    await w.sync();
    const synced = w.notes.files.get('p.md')!;
    expect(synced).toMatch(/Ship it @alice @bob \^tk-/);
    // The file unassigns both: DELETE alice is applied but its answer lost, DELETE bob not sent.
    const unassigned = synced.replace(' @alice @bob', '');
    w.notes.files.set('p.md', unassigned);
    const lost = new TaskadeError({ code: 'TIMEOUT', method: 'DELETE', route: 'assignee', maybeApplied: true });
    const unassign = w.taskade.deleteAssignee.bind(w.taskade);
    w.taskade.deleteAssignee = async (...args) => {
      w.taskade.deleteAssignee = unassign;
      await unassign(...args);
      throw lost;
    };
    expect((await w.sync()).files[0]!.outcome).toBe('failed');
    expect(await w.taskade.getAssignees(projectId, task)).toEqual(['bob']);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([
      expect.objectContaining({ taskId: task, from: ['alice', 'bob'], to: [] }),
    ]);
    return { w, projectId, task, unassigned };
  }

  it('keeps the record for the read again, which finishes the write: no conflict', async () => {
    const { w, projectId, task, unassigned } = await cutWrite();
    // The next run's first list read comes in two pages without the task; the second is whole.
    const list = w.taskade.listTasks.bind(w.taskade);
    w.taskade.listTasks = async (...args) => {
      w.taskade.listTasks = list;
      const whole = await list(...args);
      return { ...whole, tasks: whole.tasks.filter((t) => t.id !== task), pages: 2 };
    };
    const calls = w.taskade.calls.length;
    const next = await w.sync();
    expect(next.exitCode, JSON.stringify(next.files[0])).toBe(EXIT.OK);
    expect(next.files[0]!.conflicts).toEqual([]);
    expect(w.events.filter((e) => e.type === 'relist')).toHaveLength(1);
    // The list twice, the task's set (the write recorded), then the rest of the write: DELETE bob.
    expect(w.taskade.calls.slice(calls).map((c) => `${c.method} ${c.route}`)).toEqual([
      'GET /projects/{projectId}/tasks',
      'GET /projects/{projectId}/tasks',
      'GET /projects/{projectId}/tasks/{taskId}/assignees',
      'DELETE /projects/{projectId}/tasks/{taskId}/assignees/{assigneeHandle}',
    ]);
    expect(await w.taskade.getAssignees(projectId, task)).toEqual([]);
    expect(w.notes.files.get('p.md')).toBe(unassigned);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([]);
    expect(w.journal.getBase(projectId)[0]!.assignees).toEqual([]);

    const again = await w.sync();
    expect(again.requests).toEqual({ reads: 1, writes: 0 });
  });

  it('a task deleted in Taskade: the record ends with the commit that takes the task out of the base', async () => {
    const { w, projectId, task } = await cutWrite();
    await w.taskade.deleteTask(projectId, task);
    // Edited in the file (its set), the task comes back as a new one: the old id leaves the base.
    const next = await w.sync();
    expect(next.exitCode, JSON.stringify(next.files[0])).toBe(EXIT.OK);
    expect(w.remote(projectId)).toEqual(['Ship it', 'other']);
    expect(w.journal.getBase(projectId).map((t) => t.id)).not.toContain(task);
    expect(w.journal.listAssigneeWrites(projectId)).toEqual([]);
    const again = await w.sync();
    expect(again.requests).toEqual({ reads: 1, writes: 0 });
  });
});

describe('a task moved to another linked file, its old project read in pages', () => {
  // Seed 20261206 of the model property: the pass of the file a task moved into reads the old
  // project's list to carry its Taskade values. Read in pages while Taskade's user moved a task,
  // that list missed the moved task: it was created with the file's values, Taskade's lost.
  it("a read that misses base tasks is read again: Taskade's completion comes along", async () => {
    const w = engine({});
    const { projectId: a } = w.taskade.seedProject({ name: 'A', tasks: [{ text: 'Other' }] });
    const { projectId: b, taskIds } = w.taskade.seedProject({
      name: 'B',
      tasks: [{ text: 'Keep' }, { text: 'Ship it' }],
    });
    const ship = taskIds[1]!;
    w.notes.files.set('a.md', linked(a, ''));
    w.notes.files.set('b.md', linked(b, ''));
    expect((await w.sync()).exitCode).toBe(EXIT.OK);
    // Cut from b.md, pasted into a.md (synced first); Taskade completes the old copy meanwhile.
    const lines = w.notes.files.get('b.md')!.split('\n');
    const line = lines.find((l) => l.includes('Ship it'))!;
    w.notes.files.set('b.md', lines.filter((l) => l !== line).join('\n'));
    w.notes.files.set('a.md', `${w.notes.files.get('a.md')!}${line}\n`);
    await w.taskade.setCompleted(b, ship, true);
    // The first read of b's project comes in two pages without the task; the second is whole.
    const list = w.taskade.listTasks.bind(w.taskade);
    w.taskade.listTasks = async (projectId, o) => {
      const whole = await list(projectId, o);
      if (projectId !== b) return whole;
      w.taskade.listTasks = list;
      return { ...whole, tasks: whole.tasks.filter((t) => t.id !== ship), pages: 2 };
    };
    const calls = w.taskade.calls.length;
    const r = await w.sync();
    expect(r.exitCode, JSON.stringify(r.files)).toBe(EXIT.OK);
    expect(w.events.filter((e) => e.type === 'relist').map((e) => e.file)).toEqual(['a.md']);
    // a's list, b's twice (the carry's read, then again), the old copy's fields, the create with
    // its completion, the old copy's delete; then b's pass reads b's list afresh (a pass wrote it).
    expect(w.taskade.calls.slice(calls).map((c) => `${c.method} ${c.route}`)).toEqual([
      'GET /projects/{projectId}/tasks',
      'GET /projects/{projectId}/tasks',
      'GET /projects/{projectId}/tasks',
      'GET /projects/{projectId}/tasks/{taskId}/note',
      'GET /projects/{projectId}/tasks/{taskId}/date',
      'GET /projects/{projectId}/tasks/{taskId}/assignees',
      'POST /projects/{projectId}/tasks/',
      'POST /projects/{projectId}/tasks/{taskId}/complete',
      'DELETE /projects/{projectId}/tasks/{taskId}',
      'GET /projects/{projectId}/tasks',
    ]);
    expect(w.remote(a)).toEqual(['Other', '[x] Ship it']);
    expect(w.remote(b)).toEqual(['Keep']);
    expect(w.notes.files.get('a.md')).toMatch(/- \[x\] Ship it \^tk-/);
    expect((await w.sync()).requests.writes).toBe(0);
  });
});

describe('two lines with one id', () => {
  it('the same text twice is one task: nothing created, deleted or rewritten', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n- [ ] two\n'));
    await w.sync();
    const synced = w.notes.files.get('p.md')!;
    const oneLine = synced.split('\n').find((l) => l.startsWith('- [ ] one'))!;
    const copied = `${synced}${oneLine}\n`;
    w.notes.files.set('p.md', copied);
    const calls = w.taskade.calls.length;
    const report = await w.sync();
    expect(report.exitCode).toBe(EXIT.OK);
    expect(report.files[0]!.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/already used on line 5 with the same text; this line is the same task and is not synced/),
    ]);
    expect(w.taskade.calls.slice(calls).map((c) => c.method)).toEqual(['GET']);
    expect(w.remote(projectId)).toEqual(['one', 'two']);
    expect(w.notes.files.get('p.md')).toBe(copied);
  });

  it('another text under a claimed id is a new task, as before', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n'));
    await w.sync();
    const synced = w.notes.files.get('p.md')!;
    const id = /\^tk-\w+/.exec(synced)![0];
    w.notes.files.set('p.md', `${synced}- [ ] one, but changed ${id}\n`);
    await w.sync();
    expect(w.remote(projectId)).toEqual(['one', 'one, but changed']);
    const ids = w.notes.files.get('p.md')!.match(/\^tk-\w+/g)!;
    expect(new Set(ids).size).toBe(2);
  });
});

describe('a create sent by a run that stopped before its answer', () => {
  it('is held back, with the time it may be made again, and made by a run after that', async () => {
    const w = engine({});
    const { projectId } = w.taskade.seedProject({ name: 'P' });
    w.notes.files.set('p.md', linked(projectId, '- [ ] one\n'));
    await w.sync();
    w.notes.files.set('p.md', w.notes.files.get('p.md')! + '- [ ] brand new\n');
    // The process dies as its create goes out: Taskade never gets it, the run log never ends.
    const finishRun = w.journal.finishRun.bind(w.journal);
    w.journal.finishRun = () => {};
    w.taskade.beforeCall = ({ method }) => {
      if (method === 'POST') throw new Error('the process died');
    };
    await w.sync().catch(() => undefined);
    w.journal.finishRun = finishRun;
    w.taskade.beforeCall = undefined;
    const [intent] = w.journal.listIntents(projectId);
    expect(intent).toBeDefined();

    // The next run may not make it (Taskade might still apply it): it says until when.
    const creates = () => w.taskade.calls.filter((c) => c.method === 'POST').length;
    const sent = creates();
    const held = await w.sync();
    expect(held.files[0]!.recheckAt).toBe(intent!.at + CREATE_GRACE_MS);
    expect(creates()).toBe(sent);
    expect(w.remote(projectId)).toEqual(['one']);

    // After that time, a run makes it, once.
    w.advance(CREATE_GRACE_MS);
    const made = await w.sync();
    expect(made.files[0]!.recheckAt).toBeUndefined();
    expect(creates()).toBe(sent + 1);
    expect(w.remote(projectId)).toEqual(['one', 'brand new']);
    expect(w.notes.files.get('p.md')).toMatch(/- \[ \] brand new \^tk-/);
  });
});
