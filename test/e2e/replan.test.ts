import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce, type SyncRequest } from '../../src/engine/index.js';
import { hashContent } from '../../src/journal/index.js';
import { fileOutline, remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

/** A linked, synced project with two tasks. */
async function linked(world: World): Promise<string> {
  const { projectId } = world.sim.seedProject({ name: 'P', tasks: [{ text: 'Alpha' }, { text: 'Beta' }] });
  world.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n`);
  expect((await world.sync()).exitCode).toBe(0);
  return projectId;
}

/** A run during which the user saves the file right after the first remote create succeeded. */
async function runWithSaveDuringCreate(world: World, request: SyncRequest = {}): Promise<void> {
  let saved = false;
  const report = await syncOnce(
    {
      root: world.root,
      config: world.config,
      journal: world.journal,
      client: world.client,
      logger: {
        event: (e) => {
          world.events.push(e);
          if (e.type === 'remote-create' && !saved) {
            saved = true;
            world.write('p.md', world.read('p.md').replace('- [ ] Beta', '- [ ] Beta, edited while syncing'));
          }
        },
      },
    },
    request,
  );
  expect(saved).toBe(true);
  expect(world.events.some((e) => e.type === 'replan')).toBe(true);
  expect(report.exitCode, JSON.stringify(report.files[0])).toBe(0);
}

const expected = ['Alpha', 'Beta, edited while syncing', 'Gamma', 'Delta'];

describe('e2e: the file changes while it is synced', () => {
  it('the re-plan writes the ids of the tasks created before it into the file; nothing is created twice', async () => {
    w = await startWorld();
    const projectId = await linked(w);
    w.write('p.md', `${w.read('p.md')}- [ ] Gamma\n- [ ] Delta\n`);
    await runWithSaveDuringCreate(w);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected);
    expect(fileOutline(w.read('p.md'))).toEqual(expected);
    expect(w.read('p.md').match(/\^tk-/g)).toHaveLength(4);
    w.sim.resetStats();
    expect((await w.sync()).requests.writes).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected);
  });

  it('with the task list the daemon’s poller read before the run, the re-plan still sees the tasks it created (no duplicates)', async () => {
    w = await startWorld();
    const projectId = await linked(w);
    w.write('p.md', `${w.read('p.md')}- [ ] Gamma\n- [ ] Delta\n`);
    const polled = await w.other.listTasks(projectId);
    await runWithSaveDuringCreate(w, { remoteLists: new Map([[projectId, polled]]) });
    expect(await remoteOutline(w.client, projectId)).toEqual(expected);
    expect(fileOutline(w.read('p.md'))).toEqual(expected);
    w.sim.resetStats();
    expect((await w.sync()).requests.writes).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected);
  });

  it('with the poller’s list, a task deleted before the re-plan does not come back into the file', async () => {
    w = await startWorld();
    const projectId = await linked(w);
    // Delete Alpha locally and add Gamma: the run deletes Alpha remotely, then creates Gamma (and the user saves).
    w.write('p.md', `${w.read('p.md').replace(/- \[ \] Alpha.*\n/, '')}- [ ] Gamma\n`);
    const polled = await w.other.listTasks(projectId);
    await runWithSaveDuringCreate(w, { remoteLists: new Map([[projectId, polled]]) });
    expect(await remoteOutline(w.client, projectId)).toEqual(['Beta, edited while syncing', 'Gamma']);
    expect(fileOutline(w.read('p.md'))).toEqual(['Beta, edited while syncing', 'Gamma']);
  });
});

describe('e2e: a file that cannot be written', () => {
  it('is reported as failed and the other files still sync (a name too long for the temp file)', async () => {
    w = await startWorld();
    const a = w.sim.seedProject({ name: 'A', tasks: [{ text: 'A1' }] }).projectId;
    const b = w.sim.seedProject({ name: 'B', tasks: [{ text: 'B1' }] }).projectId;
    // 240 bytes is a valid file name; the temp file beside it (`.<name>.<hex>.taskade-sync.tmp`) is not.
    const long = `${'a'.repeat(237)}.md`;
    w.write(long, `---\ntaskade:\n  project: ${a}\n---\n# A\n`);
    w.write('b.md', `---\ntaskade:\n  project: ${b}\n---\n# B\n`);
    const r = await w.sync();
    expect(r.files.find((f) => f.path === long)).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining(long),
    });
    expect(r.files.find((f) => f.path === 'b.md')).toMatchObject({ outcome: 'synced' });
    expect(fileOutline(w.read('b.md'))).toEqual(['B1']);
    expect(r.exitCode).toBe(1);
    expect(await remoteOutline(w.client, a)).toEqual(['A1']);
  });
});

describe('e2e: a save while a write is held', () => {
  it('records the hash of the text it planned from, so the save is not mistaken for the daemon’s own write', async () => {
    w = await startWorld();
    const projectId = await linked(w);
    const planned = w.read('p.md');
    // A remote change that must be written to the file, while the user is typing in it.
    const alpha = (await w.client.listTasks(projectId)).tasks[0]!;
    await w.client.updateTaskText(projectId, alpha.id, 'Alpha from Taskade');
    const typed = planned.replace('Beta', 'Beta, typed meanwhile');
    const report = await syncOnce(
      {
        root: w.root,
        config: w.config,
        journal: w.journal,
        client: w.client,
        logger: { event: (e) => w.events.push(e) },
      },
      {
        holdLocalWrite: () => {
          w.write('p.md', typed); // the save lands while the pass runs
          return true;
        },
      },
    );
    expect(report.files[0]!.outcome).toBe('held');
    expect(w.read('p.md')).toBe(typed);
    // The journal remembers what this pass saw, not the newer save: the watcher's echo check
    // (file hash = journal hash) then treats the save as a user edit that needs a pass.
    expect(w.journal.getLinkByProject(projectId)!.fileHash).toBe(hashContent(planned));
    expect(hashContent(w.read('p.md'))).not.toBe(w.journal.getLinkByProject(projectId)!.fileHash);
    // And the next pass brings both edits together.
    expect((await w.sync()).exitCode).toBe(0);
    expect(fileOutline(w.read('p.md'))).toEqual(['Alpha from Taskade', 'Beta, typed meanwhile']);
    expect(await remoteOutline(w.client, projectId)).toEqual(['Alpha from Taskade', 'Beta, typed meanwhile']);
  });
});
