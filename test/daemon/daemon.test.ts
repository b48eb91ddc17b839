import { afterEach, describe, expect, it } from 'vitest';
import { Daemon, type DaemonSettings } from '../../src/daemon/daemon.js';
import { Journal } from '../../src/journal/index.js';
import { SyncError } from '../../src/model/errors.js';
import { TaskadeError } from '../../src/taskade/errors.js';
import { FakeEdges, fileReport, recorder, report } from './support/fake-edges.js';
import { settle, VirtualTimers } from './support/virtual-timers.js';

const SETTINGS: DaemonSettings = {
  debounceMs: 300,
  quietMs: 3000,
  pollMinMs: 10_000,
  pollMaxMs: 300_000,
  subresourceReadsPerPoll: 0,
  requestsPerMinute: 600,
};

const journals: Journal[] = [];
afterEach(() => journals.splice(0).forEach((j) => j.close()));

async function setup(o: { settings?: Partial<DaemonSettings>; projects?: number } = {}) {
  const timers = new VirtualTimers();
  const journal = Journal.openInMemory();
  journals.push(journal);
  const edges = new FakeEdges();
  const log = recorder();
  for (let i = 1; i <= (o.projects ?? 1); i += 1) {
    const path = `notes/p${i}.md`;
    const content = `---\ntaskade:\n  project: P${i}\n---\n- [ ] task ^tk-${i}\n`;
    edges.files.set(path, content);
    edges.remote.set(`P${i}`, [{ id: `t${i}`, text: 'task', parentId: null, completed: false }]);
    journal.upsertLink({ path, projectId: `P${i}`, fileHash: edges.hashContent(content), at: timers.now() });
  }
  const daemon = new Daemon({ settings: { ...SETTINGS, ...o.settings }, journal, edges, logger: log, timers });
  await daemon.start();
  await settle();
  return { timers, journal, edges, log, daemon };
}

describe('the daemon, on fake edges and a virtual clock', () => {
  it('starts with one full pass that reads every linked project once and hands the lists over', async () => {
    const { edges, journal, daemon } = await setup({ projects: 3 });
    expect(edges.syncCalls).toHaveLength(1);
    const first = edges.syncCalls[0]!;
    expect(first.files).toBeUndefined();
    expect([...(first.remoteLists?.keys() ?? [])].sort()).toEqual(['P1', 'P2', 'P3']);
    expect(edges.listCalls.sort()).toEqual(['P1', 'P2', 'P3']);
    expect(journal.getPollState('P1')?.intervalMs).toBe(SETTINGS.pollMinMs);
    expect(daemon.counters.polls).toBe(3);
  });

  it('syncs a saved file once after the debounce, and holds its rewrite during the quiet period', async () => {
    const { edges, timers, daemon } = await setup();
    edges.files.set('notes/p1.md', edges.files.get('notes/p1.md') + '- [ ] new\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(299);
    expect(edges.syncCalls).toHaveLength(1);
    await timers.advance(1);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    const pass = edges.syncCalls[1]!;
    expect(pass.files).toEqual(['notes/p1.md']);
    expect(pass.remoteLists).toBeUndefined(); // the engine reads the list itself: not due for a poll
    expect(pass.holdLocalWrite?.('notes/p1.md')).toBe(true);
    expect(pass.holdLocalWrite?.('notes/other.md')).toBe(false);
    await timers.advance(3000);
    expect(pass.holdLocalWrite?.('notes/p1.md')).toBe(false);
  });

  it('turns a burst of 50 saves into one pass', async () => {
    const { edges, timers, daemon } = await setup();
    for (let i = 0; i < 50; i += 1) {
      edges.files.set('notes/p1.md', `- [ ] edit ${i}\n`);
      edges.emit('change', 'notes/p1.md');
      await timers.advance(10);
    }
    await timers.advance(300);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    expect(daemon.counters.userEdits).toBe(1);
  });

  it('ignores its own writes: a file whose hash is the journal one causes no pass and no request', async () => {
    const { edges, timers, daemon } = await setup();
    const sentBefore = edges.sent;
    edges.emit('change', 'notes/p1.md'); // content unchanged since the journal's hash
    await timers.advance(300);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(1);
    expect(edges.sent).toBe(sentBefore);
    expect(daemon.counters.echoes).toBe(1);
  });

  it('judges an event that arrives during a pass only after the pass committed its hash', async () => {
    const { edges, timers, daemon, journal } = await setup();
    edges.script.push(async (r) => {
      // The engine writes the file mid-pass; the watcher sees it; the hash is committed after.
      edges.files.set('notes/p1.md', 'written by the engine\n');
      edges.emit('change', 'notes/p1.md');
      await timers.advance(400);
      journal.upsertLink({
        path: 'notes/p1.md',
        projectId: 'P1',
        fileHash: edges.hashContent('written by the engine\n'),
        at: timers.now(),
      });
      return report((r.files ?? []).map((p) => fileReport(p)));
    });
    // Someone changed the project, so the poll has something to hand to the engine.
    edges.remote.set('P1', [{ id: 't1', text: 'renamed on Taskade', parentId: null, completed: false }]);
    daemon.pollNow(['P1']);
    await timers.advance(10);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    expect(daemon.counters.echoes).toBe(1);
  });

  it('merges events that arrive during a pass into one follow-up pass', async () => {
    const { edges, timers, daemon } = await setup({ projects: 3 });
    let release!: () => void;
    edges.script.push(
      (r) => new Promise((resolve) => (release = () => resolve(report((r.files ?? []).map((p) => fileReport(p)))))),
    );
    edges.files.set('notes/p1.md', 'one\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    for (const p of ['notes/p2.md', 'notes/p3.md']) {
      edges.files.set(p, `changed ${p}\n`);
      edges.emit('change', p);
    }
    await timers.advance(300);
    release();
    await daemon.whenIdle();
    expect(edges.syncCalls.map((c) => c.files)).toEqual([undefined, ['notes/p1.md'], ['notes/p2.md', 'notes/p3.md']]);
  });

  it('a pass of polls gives way to a save after its first file: the save goes next, alone, then the rest', async () => {
    const { edges, timers, daemon } = await setup({ projects: 3 });
    for (const id of ['P1', 'P2', 'P3'])
      edges.remote.set(id, [{ id: `t${id.slice(1)}`, text: 'renamed on Taskade', parentId: null, completed: false }]);
    const gaveWay: boolean[] = [];
    edges.script.push(async (r) => {
      expect(await r.giveWay?.()).toBe(false);
      // While the first file syncs, the user saves the third; its event settles mid-pass.
      edges.files.set('notes/p3.md', edges.files.get('notes/p3.md') + '- [ ] saved meanwhile\n');
      edges.emit('change', 'notes/p3.md');
      await timers.advance(300);
      gaveWay.push(await r.giveWay!());
      return report([fileReport('notes/p1.md', { projectId: 'P1' })], { unfinished: ['notes/p2.md', 'notes/p3.md'] });
    });
    daemon.pollNow(['P1', 'P2', 'P3']);
    await timers.advance(10);
    await daemon.whenIdle();
    expect(gaveWay).toEqual([true]);
    expect(edges.syncCalls.slice(1).map((c) => [c.files, [...(c.remoteLists?.keys() ?? [])].sort()])).toEqual([
      [
        ['notes/p1.md', 'notes/p2.md', 'notes/p3.md'],
        ['P1', 'P2', 'P3'],
      ],
      // The save, alone: no poll, no give-way.
      [['notes/p3.md'], []],
      // The polled projects the pass did not reach are polled again.
      [
        ['notes/p2.md', 'notes/p3.md'],
        ['P2', 'P3'],
      ],
    ]);
    expect(edges.syncCalls[2]!.giveWay).toBeUndefined();
    expect(edges.listCalls.filter((id) => id === 'P2')).toHaveLength(3); // start-up, the pass that gave way, again
  });

  it('a poll read gives way to a save between two lists; the lists not read are polled after the save', async () => {
    const { edges, timers, daemon } = await setup({ projects: 3 });
    const listTasks = edges.listTasks.bind(edges);
    edges.listTasks = async (projectId: string) => {
      const list = await listTasks(projectId);
      if (edges.listCalls.length === 4) {
        // The first list of the poll: the user saves p2 meanwhile.
        edges.files.set('notes/p2.md', 'saved\n');
        edges.emit('change', 'notes/p2.md');
        await timers.advance(300);
      }
      return list;
    };
    for (const id of ['P1', 'P2', 'P3'])
      edges.remote.set(id, [{ id: `t${id.slice(1)}`, text: 'renamed on Taskade', parentId: null, completed: false }]);
    daemon.pollNow(['P1', 'P2', 'P3']);
    await timers.advance(10);
    await daemon.whenIdle();
    expect(edges.listCalls.slice(3)).toEqual(['P1', 'P2', 'P3']);
    expect(edges.syncCalls.slice(1).map((c) => [c.files, [...(c.remoteLists?.keys() ?? [])]])).toEqual([
      [['notes/p1.md'], ['P1']],
      [['notes/p2.md'], []],
      [
        ['notes/p2.md', 'notes/p3.md'],
        ['P2', 'P3'],
      ],
    ]);
  });

  it('applies a held remote change once the file has been quiet for quietMs', async () => {
    const { edges, timers, daemon } = await setup();
    edges.script.push((r) =>
      report((r.files ?? []).map((p) => fileReport(p, { projectId: 'P1', outcome: 'held', remoteOps: 1 }))),
    );
    edges.files.set('notes/p1.md', 'typing…\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    await timers.advance(2600);
    expect(edges.syncCalls).toHaveLength(2);
    await timers.advance(500);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(3);
    expect(edges.syncCalls[2]!.files).toEqual(['notes/p1.md']);
    expect(edges.syncCalls[2]!.holdLocalWrite?.('notes/p1.md')).toBe(false);
  });

  it('syncs a file again when a create held back for a stopped run may be made, with nothing else changed', async () => {
    // The user's settings poll rarely: no poll pass comes in between.
    const { edges, timers, daemon } = await setup({ settings: { pollMinMs: 300_000 } });
    const recheckAt = timers.now() + 300 + 120_000;
    edges.script.push((r) =>
      report((r.files ?? []).map((p) => fileReport(p, { projectId: 'P1', outcome: 'synced', recheckAt }))),
    );
    edges.files.set('notes/p1.md', edges.files.get('notes/p1.md') + '- [ ] brand new\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    await timers.advance(120_000);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    await timers.advance(10);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(3);
    expect(edges.syncCalls[2]!.files).toEqual(['notes/p1.md']);
  });

  it('polls an idle project at the floor, then backs off ×2 up to the ceiling', async () => {
    const { edges, timers, journal } = await setup({ settings: { pollMaxMs: 40_000 } });
    const pollTimes: number[] = [];
    const start = timers.now();
    for (let i = 0; i < 6; i += 1) {
      const before = edges.listCalls.length;
      while (edges.listCalls.length === before) await timers.advance(500);
      pollTimes.push(timers.now() - start);
    }
    const gaps = pollTimes.map((t, i) => t - (pollTimes[i - 1] ?? 0));
    expect(gaps).toEqual([10_000, 20_000, 40_000, 40_000, 40_000, 40_000]);
    expect(journal.getPollState('P1')?.intervalMs).toBe(40_000);
    // An unchanged list costs its read and nothing else: no engine pass after the first.
    expect(edges.syncCalls).toHaveLength(1);
  });

  it('halves the interval when someone else changed the project', async () => {
    const { edges, timers, journal } = await setup({ settings: { pollMaxMs: 80_000 } });
    await timers.advance(10_000 + 20_000 + 40_000); // idle polls: interval now 80 s
    expect(journal.getPollState('P1')?.intervalMs).toBe(80_000);
    const passes = edges.syncCalls.length;
    edges.remote.set('P1', [{ id: 't1', text: 'renamed on Taskade', parentId: null, completed: false }]);
    await timers.advance(80_000);
    expect(journal.getPollState('P1')?.intervalMs).toBe(40_000);
    expect(journal.getPollState('P1')?.lastChangedAt).toBe(timers.now());
    // A changed list is handed to the engine, which reads nothing again.
    expect(edges.syncCalls.slice(passes)).toHaveLength(1);
    const call = edges.syncCalls.at(-1)!;
    expect(call.remoteLists?.has('P1') && call.files).toEqual(['notes/p1.md']);
  });

  describe('notes, dates and assignees are read outside the passes', () => {
    /** P1 with tasks a, b, c in the list and in the base, none with a note, date or assignee. */
    async function rotating(settings: Partial<DaemonSettings> = { subresourceReadsPerPoll: 2 }) {
      const world = await setup({ settings });
      const tasks = ['a', 'b', 'c'].map((id) => ({ id, text: id, parentId: null, completed: false }));
      world.edges.remote.set('P1', tasks);
      world.journal.replaceBase(
        'P1',
        tasks.map((t) => ({ ...t, kind: 'task' as const, note: null, due: null, assignees: [] })),
        world.timers.now(),
      );
      // The first poll finds the new list and syncs it; from then on the list stays as it is.
      await world.timers.advance(10_000);
      await world.daemon.whenIdle();
      world.edges.detailCalls.length = 0;
      world.edges.syncCalls.length = 0;
      return world;
    }

    it('the rotation gets the budget left after the lists, moves its cursor, and costs no pass when nothing differs', async () => {
      const { edges, timers, daemon } = await rotating();
      await timers.advance(10_000);
      await daemon.whenIdle();
      await timers.advance(20_000);
      await daemon.whenIdle();
      // The first poll of this list read a and b; these two go on from there.
      expect(edges.detailCalls.map(([, id]) => id)).toEqual(['c', 'a', 'b', 'c']);
      expect(edges.syncCalls).toEqual([]);
    });

    it('a value that differs from the base goes to one pass, taken as read there (not read again)', async () => {
      const { edges, timers, daemon } = await rotating();
      const note = { note: 'written on Taskade', due: null, assignees: [] };
      await timers.advance(10_000);
      await daemon.whenIdle();
      expect(edges.detailCalls.map(([, id]) => id)).toEqual(['c', 'a']);
      edges.details.set('P1', new Map([['b', note]]));
      await timers.advance(20_000);
      await daemon.whenIdle();
      expect(edges.detailCalls.map(([, id]) => id)).toEqual(['c', 'a', 'b', 'c']);
      expect(edges.syncCalls).toHaveLength(1);
      const pass = edges.syncCalls[0]!;
      expect(pass.files).toEqual(['notes/p1.md']);
      expect(pass.subresourceReads).toBeUndefined();
      expect([...(pass.subresourceValues?.get('P1') ?? [])]).toEqual([['b', note]]);
    });

    it('values read while a pass touched their project are read again after it', async () => {
      const { edges, timers, daemon } = await rotating();
      edges.details.set('P1', new Map([['c', { note: 'n', due: null, assignees: [] }]]));
      edges.script.push((r) => report((r.files ?? []).map((path) => fileReport(path, { projectId: 'P1' }))));
      const readTaskDetails = edges.readTaskDetails.bind(edges);
      let saved = false;
      edges.readTaskDetails = async (projectId, taskId, counter) => {
        if (!saved) {
          // A save of the project's file lands while the reader waits for Taskade.
          saved = true;
          edges.files.set('notes/p1.md', 'saved\n');
          edges.emit('change', 'notes/p1.md');
          const passes = edges.syncCalls.length;
          await timers.advance(300);
          while (edges.syncCalls.length === passes) await settle();
          await settle();
        }
        return readTaskDetails(projectId, taskId, counter);
      };
      await timers.advance(10_000);
      await daemon.whenIdle();
      expect(edges.detailCalls.map(([, id]) => id).sort()).toEqual(['a', 'a', 'c', 'c']);
      const withValues = edges.syncCalls.filter((c) => c.subresourceValues !== undefined);
      expect(withValues).toHaveLength(1);
      expect([...withValues[0]!.subresourceValues!.get('P1')!.keys()]).toEqual(['c']);
    });

    it('values read while a one-shot sync committed their project are read again', async () => {
      const { edges, timers, daemon, journal } = await rotating();
      edges.details.set('P1', new Map([['c', { note: 'n', due: null, assignees: [] }]]));
      const readTaskDetails = edges.readTaskDetails.bind(edges);
      let synced = false;
      edges.readTaskDetails = async (projectId, taskId, counter) => {
        if (!synced) {
          // `taskade-sync sync` in a git hook: another process's pass commits the project.
          synced = true;
          journal.setFileHash('P1', 'written by the other run', timers.now() + 1);
        }
        return readTaskDetails(projectId, taskId, counter);
      };
      await timers.advance(10_000);
      await daemon.whenIdle();
      expect(edges.detailCalls.map(([, id]) => id).sort()).toEqual(['a', 'a', 'c', 'c']);
      expect(edges.syncCalls.filter((c) => c.subresourceValues !== undefined)).toHaveLength(1);
    });

    it("a first sync's details are read after the pass that wrote the outline, and what differs goes to a pass", async () => {
      const { edges, timers, daemon } = await rotating({ subresourceReadsPerPoll: 0 });
      const due = { note: null, due: { date: '2026-12-24', time: null, timezone: null }, assignees: [] };
      edges.details.set('P1', new Map([['c', due]]));
      edges.script.push((r) => {
        expect(r.streamDetails && r.detailsLater).toBe(true);
        return report([fileReport('notes/p1.md', { projectId: 'P1', outcome: 'synced' })], {
          detailsLeft: [{ path: 'notes/p1.md', projectId: 'P1', ids: ['a', 'b', 'c'] }],
        });
      });
      edges.files.set('notes/p1.md', 'saved\n');
      edges.emit('change', 'notes/p1.md');
      await timers.advance(300);
      await daemon.whenIdle();
      expect(edges.detailCalls.map(([, id]) => id)).toEqual(['a', 'b', 'c']);
      expect(edges.syncCalls).toHaveLength(2);
      expect([...(edges.syncCalls[1]!.subresourceValues?.get('P1') ?? [])]).toEqual([['c', due]]);
    });
  });

  it('keeps local changes through an outage, backs off ×2, and catches up when Taskade answers', async () => {
    const { edges, timers, daemon, log } = await setup();
    const down = new TaskadeError({
      code: 'NETWORK',
      method: 'GET',
      route: '/projects/{projectId}/tasks',
      detail: 'ECONNREFUSED',
    });
    edges.script.push(
      () => Promise.reject(down),
      () => Promise.reject(down),
    );
    edges.files.set('notes/p1.md', 'offline edit\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    expect(edges.syncCalls).toHaveLength(2);
    await timers.advance(1000);
    expect(edges.syncCalls).toHaveLength(3);
    await timers.advance(1999);
    expect(edges.syncCalls).toHaveLength(3);
    await timers.advance(1);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(4);
    expect(edges.syncCalls.map((c) => c.files)).toEqual([undefined, ['notes/p1.md'], ['notes/p1.md'], ['notes/p1.md']]);
    expect(log.events.filter((e) => e.type === 'outage' && e.level === 'warn')).toHaveLength(1);
    expect(log.events.some((e) => e.type === 'recovered')).toBe(true);
  });

  it('stops with exit 5 and a message naming the token when Taskade refuses it', async () => {
    const { edges, timers, daemon } = await setup();
    edges.script.push(() => Promise.reject(new SyncError('AUTH', 'Taskade refused the token (401 UNAUTHORIZED)')));
    edges.files.set('notes/p1.md', 'x\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    const exit = await daemon.done;
    expect(exit.exitCode).toBe(5);
    expect(exit.message).toMatch(/refused the token.*TASKADE_TOKEN/s);
    expect(edges.watcherClosed).toBe(true);
  });

  it('waits for a one-shot sync holding the lock and then runs the pass', async () => {
    const { edges, timers, daemon } = await setup();
    const realLock = edges.lock.bind(edges);
    let refusals = 1;
    edges.lock = async () => {
      if (refusals-- > 0) throw new SyncError('LOCKED', 'another taskade-sync (pid 1, sync) holds the lock');
      return realLock();
    };
    edges.files.set('notes/p1.md', 'x\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    expect(edges.syncCalls).toHaveLength(1);
    await timers.advance(1000);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
  });

  it('stops gracefully: aborts the pass in flight, waits for it, closes the watcher, exit 0', async () => {
    const { edges, timers, daemon } = await setup();
    let aborted = false;
    edges.script.push(
      (r) =>
        new Promise((resolve) =>
          r.signal?.addEventListener('abort', () => {
            aborted = true;
            resolve(report([]));
          }),
        ),
    );
    edges.files.set('notes/p1.md', 'x\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    await daemon.stop();
    expect(aborted).toBe(true);
    expect(edges.lockHeld).toBe(false);
    expect(await daemon.done).toEqual({ exitCode: 0 });
    expect(edges.watcherClosed).toBe(true);
  });

  it('follows a linked file that was moved, without a pass when its content is unchanged', async () => {
    const { edges, timers, daemon, journal } = await setup();
    const content = edges.files.get('notes/p1.md')!;
    edges.files.delete('notes/p1.md');
    edges.files.set('archive/p1.md', content);
    edges.emit('unlink', 'notes/p1.md');
    edges.emit('add', 'archive/p1.md');
    await timers.advance(300);
    await daemon.whenIdle();
    expect(journal.getLinkByProject('P1')?.path).toBe('archive/p1.md');
    await timers.advance(5000);
    await daemon.whenIdle();
    expect(journal.getLinkByProject('P1')?.path).toBe('archive/p1.md');
    expect(edges.syncCalls).toHaveLength(1);
  });

  it('stops syncing a deleted linked file and keeps its project untouched', async () => {
    const { edges, timers, daemon, journal, log } = await setup();
    edges.files.delete('notes/p1.md');
    edges.emit('unlink', 'notes/p1.md');
    await timers.advance(300);
    await daemon.whenIdle();
    expect(journal.getLinkByProject('P1')).not.toBeNull(); // grace period: it may be a move
    await timers.advance(2000);
    await daemon.whenIdle();
    expect(journal.getLinkByProject('P1')).toBeNull();
    expect(edges.syncCalls).toHaveLength(1); // nothing was sent to delete the project's tasks
    const warning = log.events.find((e) => e.type === 'link-removed');
    expect(warning).toMatchObject({ level: 'warn', file: 'notes/p1.md' });
    expect(warning?.message).toMatch(/keeps its tasks/);
  });

  it('keeps 20 projects inside the poll share of a small budget and polls each within the bound', async () => {
    // 60 requests/min, half for polls: 30 list reads/min for 20 projects due every 10 s.
    const { edges, timers } = await setup({ projects: 20, settings: { requestsPerMinute: 60, pollMaxMs: 10_000 } });
    const startupReads = edges.listCalls.length;
    const start = timers.now();
    const polls = new Map<string, number[]>();
    for (let t = 0; t < 10 * 60_000; t += 1000) {
      const before = edges.listCalls.length;
      await timers.advance(1000);
      for (const id of edges.listCalls.slice(before)) polls.set(id, [...(polls.get(id) ?? []), timers.now() - start]);
    }
    const reads = edges.listCalls.length - startupReads;
    // Over 10 minutes: at most the share (30/min) plus one minute of saved-up budget.
    expect(reads).toBeLessThanOrEqual(30 * 10 + 30);
    expect(polls.size).toBe(20);
    // README bound: a round of N × pages list reads takes N·P / (share × budget) = 20 / 30 min = 40 s.
    // The start-up pass read all 20 at once and is paid for first, so the first round ends by 2 × 40 s.
    const firstPolls = [...polls.values()].map((times) => times[0]!);
    expect(Math.max(...firstPolls)).toBeLessThanOrEqual(81_000);
    const gaps = [...polls.values()].flatMap((times) => times.slice(1).map((t, i) => t - times[i]!));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(41_000);
  });
});

describe('the daemon, stopping and polling at the edges', () => {
  it('stops at once while its pass waits for a lock that a one-shot sync holds, and releases the lock it gets later', async () => {
    const { edges, timers, daemon } = await setup();
    // A long one-shot sync holds the lock: the pass's lock() waits (the real one up to lockWaitMs).
    let grant: (() => void) | null = null;
    const realLock = edges.lock.bind(edges);
    edges.lock = () => new Promise((resolve, reject) => (grant = () => realLock().then(resolve, reject)));
    edges.files.set('notes/p1.md', 'x\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    expect(grant).not.toBeNull();
    let exit: { exitCode: number } | null = null;
    void daemon.done.then((e) => (exit = e));
    void daemon.stop();
    await settle();
    expect(exit).toEqual({ exitCode: 0 });
    // The wait ends after the daemon stopped: it must not run a pass, nor keep the lock.
    grant!();
    await settle();
    expect(edges.lockHeld).toBe(false);
    expect(edges.syncCalls).toHaveLength(1);
  });

  it('still polls a project whose list is longer than the poll budget can ever save up, and the ones behind it', async () => {
    // 4 requests/min, half for polls, saved up for at most pollMaxMs = 5 min: a bucket of 10.
    // A project of 10,000 tasks takes 11 pages; it must not block every poll for ever.
    const { edges, timers } = await setup({ projects: 2, settings: { requestsPerMinute: 4, pollMaxMs: 300_000 } });
    edges.remote.set(
      'P1',
      Array.from({ length: 10_000 }, (_, i) => ({
        id: `big${i}`,
        text: `task ${i}`,
        parentId: null,
        completed: false,
      })),
    );
    const startupReads = edges.listCalls.length;
    await timers.advance(60 * 60_000);
    const later = edges.listCalls.slice(startupReads);
    expect(later.filter((id) => id === 'P1').length).toBeGreaterThanOrEqual(2);
    expect(later.filter((id) => id === 'P2').length).toBeGreaterThanOrEqual(5);
  });
});

describe('the daemon, when a file moves or the lock is busy', () => {
  it('applies a held remote change to a file that was moved during its quiet period, at its new path', async () => {
    const { edges, timers, daemon, journal } = await setup();
    // The engine holds the file's rewrite and, like the real one, records the hash of the file as it is.
    edges.script.push((r) => {
      for (const p of r.files ?? []) journal.setFileHash('P1', edges.hashContent(edges.files.get(p)!), timers.now());
      return report((r.files ?? []).map((p) => fileReport(p, { projectId: 'P1', outcome: 'held', remoteOps: 1 })));
    });
    edges.files.set('notes/p1.md', '---\ntaskade:\n  project: P1\n---\n- [ ] typing…\n');
    edges.emit('change', 'notes/p1.md');
    await timers.advance(300);
    await daemon.whenIdle();
    expect(edges.syncCalls).toHaveLength(2);
    // Renamed (content unchanged) before it became quiet.
    const content = edges.files.get('notes/p1.md')!;
    edges.files.delete('notes/p1.md');
    edges.files.set('archive/p1.md', content);
    edges.emit('unlink', 'notes/p1.md');
    edges.emit('add', 'archive/p1.md');
    await timers.advance(300);
    await daemon.whenIdle();
    expect(journal.getLinkByProject('P1')?.path).toBe('archive/p1.md');
    await timers.advance(3000);
    await daemon.whenIdle();
    expect(edges.syncCalls.slice(2).map((c) => c.files)).toEqual([['archive/p1.md']]);
  });

  it('follows a moved linked file even when a one-shot sync holds the lock longer than one lock attempt', async () => {
    const { edges, timers, daemon, journal } = await setup();
    const realLock = edges.lock.bind(edges);
    let refusals = 2;
    edges.lock = async () => {
      if (refusals-- > 0) throw new SyncError('LOCKED', 'another taskade-sync (pid 1, sync) holds the lock');
      return realLock();
    };
    const content = edges.files.get('notes/p1.md')!;
    edges.files.delete('notes/p1.md');
    edges.files.set('archive/p1.md', content);
    edges.emit('unlink', 'notes/p1.md');
    edges.emit('add', 'archive/p1.md');
    await timers.advance(300);
    await timers.advance(5000);
    await daemon.whenIdle();
    expect(journal.getLinkByProject('P1')?.path).toBe('archive/p1.md');
  });
});

describe('the daemon, when one linked project cannot be read', () => {
  it('keeps running and polling the others when a project was deleted on Taskade (404), and says so', async () => {
    const { edges, timers, daemon, log } = await setup({ projects: 2 });
    const gone = new TaskadeError({
      code: 'NOT_FOUND',
      method: 'GET',
      route: '/projects/{projectId}/tasks',
      status: 404,
    });
    const list = edges.listTasks.bind(edges);
    edges.listTasks = async (projectId: string) => {
      if (projectId === 'P1') {
        edges.listCalls.push(projectId);
        edges.sent += 1;
        throw gone;
      }
      return list(projectId);
    };
    let stopped: unknown = null;
    void daemon.done.then((exit) => (stopped = exit));
    const before = edges.listCalls.length;
    await timers.advance(10 * 60_000);
    await daemon.whenIdle();
    expect(stopped).toBeNull();
    const later = edges.listCalls.slice(before);
    expect(later.filter((id) => id === 'P2').length).toBeGreaterThanOrEqual(3);
    // The gone project is not read again and again: it backs off like an idle one.
    expect(later.filter((id) => id === 'P1').length).toBeLessThanOrEqual(later.filter((id) => id === 'P2').length);
    const warning = log.events.find((e) => e.level === 'warn' && e.file === 'notes/p1.md');
    expect(warning?.message).toMatch(/P1/);
  });

  it('starts even when a linked project is gone on Taskade', async () => {
    const timers = new VirtualTimers();
    const journal = Journal.openInMemory();
    journals.push(journal);
    const edges = new FakeEdges();
    for (const id of ['P1', 'P2']) {
      const path = `notes/${id}.md`;
      const content = `---\ntaskade:\n  project: ${id}\n---\n- [ ] task\n`;
      edges.files.set(path, content);
      journal.upsertLink({ path, projectId: id, fileHash: edges.hashContent(content), at: timers.now() });
    }
    edges.remote.set('P2', []);
    const list = edges.listTasks.bind(edges);
    edges.listTasks = async (projectId: string) => {
      if (projectId === 'P1')
        throw new TaskadeError({ code: 'NOT_FOUND', method: 'GET', route: '/projects/{projectId}/tasks', status: 404 });
      return list(projectId);
    };
    const daemon = new Daemon({ settings: SETTINGS, journal, edges, logger: recorder(), timers });
    let stopped: unknown = null;
    void daemon.done.then((exit) => (stopped = exit));
    await daemon.start();
    await settle();
    await daemon.whenIdle();
    expect(stopped).toBeNull();
    expect(edges.syncCalls).toHaveLength(1);
    expect([...(edges.syncCalls[0]!.remoteLists?.keys() ?? [])]).toEqual(['P2']);
    await daemon.stop();
  });
});
