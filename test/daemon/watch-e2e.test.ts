import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLock } from '../../src/journal/index.js';
import { runCli } from '../support/cli.js';
import { sleep, Vault, waitFor } from './support/vault.js';

let vault: Vault | null = null;
afterEach(async () => {
  await vault?.close();
  vault = null;
});

const FILE = 'notes/roadmap.md';

/** A vault with one linked project, its daemon started and the start-up pass done. */
async function started(
  config: Record<string, unknown> = {},
  queue?: { maxRetries: number; baseBackoffMs: number; maxBackoffMs: number },
) {
  const v = (vault = await Vault.create({ config }));
  const projectId = v.link(FILE, 'Roadmap', [{ text: 'Ship the importer' }, { text: 'Write docs' }]);
  if (queue !== undefined) {
    v.session = await (
      await import('../../src/daemon/start.js')
    ).startWatch({
      config: v.config,
      token: v.sim.token,
      logger: { event: (e) => v.logs.push(e) },
      queue,
    });
  } else {
    await v.startDaemon();
  }
  const daemon = v.session!.daemon;
  await waitFor(() => v.read(FILE).includes('Write docs'), 'the start-up pass to pull the project');
  await daemon.whenIdle();
  return { v, projectId, daemon };
}

/** Waits until the watcher and the daemon have nothing left to do. */
async function quiesce(v: Vault): Promise<void> {
  await sleep(300); // longer than the debounce, so a pending file event has settled
  await v.session!.daemon.whenIdle();
}

describe('taskade-sync watch, end to end (real folder, real watcher, simulator)', () => {
  it('a local save reaches Taskade with one list read and one write, and nothing follows', async () => {
    const { v, projectId, daemon } = await started();
    await quiesce(v); // the start-up pass wrote the file: that echo must not cost a request
    const before = v.sim.stats();
    v.write(FILE, v.read(FILE).replace('Write docs', 'Write the docs'));
    await waitFor(
      async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Write the docs'),
      'the edit on Taskade',
    );
    await quiesce(v);
    await sleep(500);
    const after = v.sim.stats();
    expect(after.writes - before.writes).toBe(1);
    expect(after.requests['PUT /projects/{projectId}/tasks/{taskId}']).toBe(1);
    expect(after.reads - before.reads).toBe(1); // the task list; the daemon's echo cost nothing
    expect(daemon.counters.echoes).toBeGreaterThanOrEqual(1);
  });

  it('a remote edit reaches the file, and writing it causes no further request', async () => {
    const { v, projectId, daemon } = await started();
    await quiesce(v);
    const task = (await v.remoteTasks(projectId)).find((t) => t.text === 'Ship the importer')!;
    await v.remoteUpdateText(projectId, task.id, 'Ship the importer v2');
    const before = v.sim.stats();
    const passes = daemon.counters.passes;
    daemon.pollNow([projectId]);
    await waitFor(() => v.read(FILE).includes('Ship the importer v2'), 'the remote edit in the file');
    await quiesce(v);
    await sleep(500);
    await daemon.whenIdle();
    const after = v.sim.stats();
    expect(after.writes - before.writes).toBe(0);
    // One list read, then note + date + assignees of the one changed task; the file write is an echo.
    expect(after.reads - before.reads).toBe(4);
    expect(daemon.counters.passes - passes).toBe(1);
    // One readable log line per applied change, naming the file and the line.
    const line = v.logs.find((e) => e.type === 'local-write' && e.file === FILE && e.message.includes('text'));
    expect(line?.line).toBeGreaterThan(0);
  });

  it('after a save and a remote edit, the next poll finds the list as the pass left it: its list read, no engine pass', async () => {
    const { v, projectId, daemon } = await started();
    await quiesce(v);
    v.write(FILE, v.read(FILE).replace('Write docs', 'Write the docs'));
    await waitFor(
      async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Write the docs'),
      'the save on Taskade',
    );
    await quiesce(v);
    const task = (await v.remoteTasks(projectId)).find((t) => t.text === 'Ship the importer')!;
    await v.remoteUpdateText(projectId, task.id, 'Ship the importer v2');
    daemon.pollNow([projectId]);
    await waitFor(() => v.read(FILE).includes('Ship the importer v2'), 'the remote edit in the file');
    await quiesce(v);
    const before = v.sim.stats();
    const runs = v.logs.filter((e) => e.type === 'run-start').length;
    daemon.pollNow([projectId]);
    await daemon.whenIdle();
    expect(v.sim.stats().total - before.total).toBe(1);
    expect(v.sim.stats().requests['GET /projects/{projectId}/tasks']).toBe(
      (before.requests['GET /projects/{projectId}/tasks'] ?? 0) + 1,
    );
    expect(v.logs.filter((e) => e.type === 'run-start').length - runs).toBe(0);
  });

  it('the poller finds a remote edit on its own within the poll floor', async () => {
    const { v, projectId } = await started({ watch: { pollMinMs: 1000, pollMaxMs: 2000 } });
    const task = (await v.remoteTasks(projectId)).find((t) => t.text === 'Write docs')!;
    await v.remoteUpdateText(projectId, task.id, 'Write docs (edited on Taskade)');
    await waitFor(() => v.read(FILE).includes('Write docs (edited on Taskade)'), 'the polled edit in the file');
  });

  it('an editor-style atomic save (write a temp file, rename it over the note) syncs once', async () => {
    const { v, projectId, daemon } = await started();
    await quiesce(v);
    const edits = daemon.counters.userEdits;
    const passes = daemon.counters.passes;
    const tmp = join(v.dir, 'notes', '.roadmap.md.tmp');
    writeFileSync(tmp, v.read(FILE).replace('Ship the importer', 'Ship the importer (atomic)'));
    renameSync(tmp, join(v.dir, FILE));
    await waitFor(
      async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Ship the importer (atomic)'),
      'the atomic save on Taskade',
    );
    await quiesce(v);
    expect(daemon.counters.userEdits - edits).toBe(1);
    expect(daemon.counters.passes - passes).toBe(1);
  });

  it('a burst of 50 saves makes one sync', async () => {
    // A debounce well above the saves' 2 ms gaps: on a loaded machine a gap can outlast the default
    // 300 ms (the test's loop stalls), and the burst is then rightly two syncs.
    const { v, projectId, daemon } = await started({ watch: { debounceMs: 1500 } });
    await quiesce(v);
    const passes = daemon.counters.passes;
    const before = v.sim.stats();
    const base = v.read(FILE);
    for (let i = 1; i <= 50; i += 1) {
      v.write(FILE, base.replace('Write docs', `Write docs, draft ${i}`));
      await sleep(2);
    }
    await waitFor(
      async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Write docs, draft 50'),
      'the last save on Taskade',
    );
    await quiesce(v);
    expect(daemon.counters.passes - passes).toBe(1);
    expect(v.sim.stats().writes - before.writes).toBe(1);
  });

  it('defers a remote change to a file the user is editing until it has been quiet', async () => {
    const { v, projectId, daemon } = await started({ watch: { quietMs: 4000 } });
    await quiesce(v);
    const edits = daemon.counters.userEdits;
    v.write(FILE, v.read(FILE) + '\nA paragraph the user is typing.\n');
    await waitFor(() => daemon.counters.userEdits > edits, 'the user edit to be seen');
    await daemon.whenIdle();
    const task = (await v.remoteTasks(projectId)).find((t) => t.text === 'Write docs')!;
    await v.remoteUpdateText(projectId, task.id, 'Write docs (from a colleague)');
    daemon.pollNow([projectId]);
    await waitFor(() => v.logs.some((e) => e.type === 'held' && e.file === FILE), 'the engine to hold the file');
    await daemon.whenIdle();
    expect(v.read(FILE)).not.toContain('from a colleague');
    await waitFor(
      () => v.read(FILE).includes('Write docs (from a colleague)'),
      'the held change once the file is quiet',
    );
    expect(v.read(FILE)).toContain('A paragraph the user is typing.');
  });

  it('a stop in the middle of a pass leaves a journal the next run completes without duplicates', async () => {
    const { v, projectId } = await started();
    await quiesce(v);
    v.sim.setFaults([{ kind: 'latency', latencyMs: 150 }]);
    const items = Array.from({ length: 30 }, (_, i) => `- [ ] New task ${i + 1}`).join('\n');
    v.write(FILE, v.read(FILE) + items + '\n');
    await waitFor(
      () => (v.sim.stats().requests['POST /projects/{projectId}/tasks/'] ?? 0) >= 1,
      'the first create to be sent',
    );
    expect(await v.stopDaemon()).toBe(0);
    // Stopped mid-run: not every new item got its id written back.
    expect((v.read(FILE).match(/New task \d+ \^tk-/g) ?? []).length).toBeLessThan(30);
    v.sim.setFaults([]);
    await v.startDaemon();
    await waitFor(
      () => (v.read(FILE).match(/New task \d+ \^tk-/g) ?? []).length === 30,
      'every new task to get its id',
    );
    await quiesce(v);
    const texts = (await v.remoteTasks(projectId)).map((t) => t.text).filter((t) => t.startsWith('New task'));
    expect(texts).toHaveLength(30);
    expect(new Set(texts).size).toBe(30);
  });

  it('keeps local changes through a simulator outage and catches up when it answers again', async () => {
    const { v, projectId, daemon } = await started({}, { maxRetries: 1, baseBackoffMs: 20, maxBackoffMs: 50 });
    await quiesce(v);
    v.sim.setFaults([{ kind: 'status503' }]);
    v.write(FILE, v.read(FILE).replace('Write docs', 'Write docs offline'));
    await waitFor(() => v.logs.some((e) => e.type === 'outage'), 'the daemon to notice the outage');
    expect(v.read(FILE)).toContain('Write docs offline');
    v.sim.setFaults([]);
    await waitFor(
      async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Write docs offline'),
      'the catch-up',
      20_000,
    );
    await waitFor(() => v.logs.some((e) => e.type === 'recovered'), 'the recovery to be logged');
    await daemon.whenIdle();
    expect(v.read(FILE)).toContain('Write docs offline');
  });

  it('a one-shot sync started during a daemon pass waits for it instead of failing', async () => {
    const { v, projectId } = await started();
    await quiesce(v);
    v.sim.setFaults([{ kind: 'latency', latencyMs: 300 }]);
    v.write(FILE, v.read(FILE).replace('Write docs', 'Write docs (daemon)'));
    await waitFor(() => readLock(v.config.stateDir)?.purpose === 'watch', 'the daemon pass to hold the lock');
    const r = await runCli(['sync', '--quiet'], { cwd: v.dir, env: { TASKADE_TOKEN: v.sim.token } });
    expect(r.code).toBe(0);
    v.sim.setFaults([]);
    expect((await v.remoteTasks(projectId)).filter((t) => t.text === 'Write docs (daemon)')).toHaveLength(1);
  });
});
