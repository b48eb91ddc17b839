import { afterEach, describe, expect, it } from 'vitest';
import { sleep, Vault, waitFor } from './support/vault.js';

let vault: Vault | null = null;
afterEach(async () => {
  await vault?.close();
  vault = null;
});

const FILE = 'notes/roadmap.md';
const ASSIGNEES = 'PUT /projects/{projectId}/tasks/{taskId}/assignees';

describe('the daemon sends each change once (real folder, real watcher, simulator)', () => {
  it('two saves 1 s apart on a newly added item while the file is being edited: one create, its date and assignees once', async () => {
    // The quiet period outlasts both saves: the passes of both push to Taskade but may not write
    // the file, so the new item gets its id only in the pass after it.
    const v = (vault = await Vault.create({ config: { watch: { quietMs: 4000 } } }));
    const projectId = v.link(FILE, 'Roadmap', [{ text: 'Ship the importer' }]);
    await v.startDaemon();
    const daemon = v.session!.daemon;
    await waitFor(() => v.read(FILE).includes('Ship the importer'), 'the start-up pass');
    await daemon.whenIdle();
    const before = v.sim.stats();
    const passes = daemon.counters.passes;

    const saved = Date.now();
    v.write(FILE, v.read(FILE) + '- [ ] Draft the launch post 📅 2026-12-20 @alice\n');
    await waitFor(() => (v.sim.stats().requests[ASSIGNEES] ?? 0) === 1, 'the new item on Taskade');
    await sleep(Math.max(0, saved + 1000 - Date.now()));
    v.write(FILE, v.read(FILE) + '\nA paragraph typed a second later.\n');
    await waitFor(() => /Draft the launch post .*\^tk-/.test(v.read(FILE)), 'its id, once the file is quiet');
    await sleep(300);
    await daemon.whenIdle();

    const after = v.sim.stats();
    const sent = Object.fromEntries(
      Object.entries(after.requests)
        .map(([route, n]) => [route, n - (before.requests[route] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    // A pass per save and one to write the id: each reads the list once; the member list is read
    // for the first @word; the create, its date and its assignees go once, and nothing is read
    // back (the second and third passes know what the first left on Taskade).
    expect(sent).toEqual({
      'GET /projects/{projectId}/tasks': 3,
      'GET /projects/{projectId}/members': 1,
      'POST /projects/{projectId}/tasks/': 1,
      'PUT /projects/{projectId}/tasks/{taskId}/date': 1,
      [ASSIGNEES]: 1,
    });
    expect(daemon.counters.passes - passes).toBe(3);
    // Its create was answered: no pass takes it for a create whose answer was lost.
    expect(v.logs.filter((e) => e.type === 'adopt')).toEqual([]);
    expect(v.logs.filter((e) => e.type === 'remote-create')).toHaveLength(1);
    const created = (await v.remoteTasks(projectId)).filter((t) => t.text === 'Draft the launch post');
    expect(created).toHaveLength(1);
    expect(v.read(FILE)).toContain(`Draft the launch post 📅 2026-12-20 @alice ^tk-${created[0]!.id.slice(0, 8)}`);
  });
});
