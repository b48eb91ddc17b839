import { afterEach, describe, expect, it } from 'vitest';
import { sleep, Vault, waitFor } from './support/vault.js';

let vault: Vault | null = null;
afterEach(async () => {
  await vault?.close();
  vault = null;
});

describe('taskade-sync watch, end to end (real folder, real watcher, simulator)', () => {
  it('pulls the linked project on start, then a local save reaches Taskade with one write and no echo', async () => {
    const v = (vault = await Vault.create());
    const projectId = v.link('notes/roadmap.md', 'Roadmap', [{ text: 'Ship the importer' }, { text: 'Write docs' }]);
    const session = await v.startDaemon();
    await session.daemon.whenIdle();
    await waitFor(() => v.read('notes/roadmap.md').includes('Write docs'), 'the startup pass to write the file');
    console.log(v.read('notes/roadmap.md'));
    console.log(v.logs.map((l) => `${l.level} ${l.type} ${l.file ?? ''} ${l.message}`).join('\n'));
    await sleep(500);
    await session.daemon.whenIdle();
    const before = v.sim.stats();
    v.write('notes/roadmap.md', v.read('notes/roadmap.md').replace('Write docs', 'Write the docs'));
    await waitFor(async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Write the docs'), 'the edit on Taskade');
    await sleep(500);
    await session.daemon.whenIdle();
    const after = v.sim.stats();
    console.log(before, after, session.daemon.counters);
  });
});
