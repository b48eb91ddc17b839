import { afterEach, describe, expect, it } from 'vitest';
import type { SeedTask } from '../../src/simulator/index.js';
import { sleep, Vault, waitFor } from './support/vault.js';

let vault: Vault | null = null;
afterEach(async () => {
  await vault?.close();
  vault = null;
});

const FILE = 'notes/big.md';
const LIST = 'GET /projects/{projectId}/tasks';

/** 100 tasks: 10 parents of 9 children; every fifth parent has a note, every third child a date. */
function project(): SeedTask[] {
  return Array.from({ length: 10 }, (_, i) => ({
    text: `Parent ${i}`,
    ...(i % 5 === 0 ? { note: `note of parent ${i}` } : {}),
    children: Array.from({ length: 9 }, (_, j) => ({
      text: `Child ${i}.${j}`,
      ...(j % 3 === 0 ? { date: { date: '2026-12-24' } } : {}),
    })),
  }));
}

describe('watch: notes, dates and assignees are read outside the passes (real folder, watcher, simulator)', () => {
  it('a first sync writes the outline after the list read, then the details, each read once', async () => {
    const v = (vault = await Vault.create());
    const projectId = v.link(FILE, 'Big', project());
    v.sim.resetStats();
    await v.startDaemon();
    const daemon = v.session!.daemon;
    await waitFor(() => v.read(FILE).includes('Child 9.8'), 'the outline');
    await waitFor(() => (v.read(FILE).match(/📅 2026-12-24/g) ?? []).length === 30, 'the dates');
    await sleep(300);
    await daemon.whenIdle();
    const text = v.read(FILE);
    expect(text).toMatch(/Parent 5 \^tk-\w+\n {2}note of parent 5\n/);
    // The list for the outline, 3 reads per task in the background, and the list again for the
    // pass that writes what they found. Nothing is read twice, nothing written to Taskade.
    expect(v.sim.stats().requests).toEqual({
      [LIST]: 2,
      'GET /projects/{projectId}/tasks/{taskId}/note': 100,
      'GET /projects/{projectId}/tasks/{taskId}/date': 100,
      'GET /projects/{projectId}/tasks/{taskId}/assignees': 100,
    });
    expect(v.logs.filter((e) => e.type === 'details').map((e) => e.data?.tasks)).toEqual([100]);
    expect((await v.remoteTasks(projectId)).length).toBe(100);
  });

  it("the rotation finds a note edited on Taskade: one pass writes it, taking the rotation's read", async () => {
    const v = (vault = await Vault.create({ config: { watch: { subresourceReadsPerPoll: 3 } } }));
    const projectId = v.link('notes/p.md', 'P', [{ text: 'One' }, { text: 'Two' }, { text: 'Three' }]);
    await v.startDaemon();
    const daemon = v.session!.daemon;
    await waitFor(() => v.read('notes/p.md').includes('Three'), 'the start-up pass');
    await sleep(300);
    await daemon.whenIdle();
    const two = (await v.remoteTasks(projectId)).find((t) => t.text === 'Two')!;
    const res = await fetch(`${v.sim.baseUrl}/projects/${projectId}/tasks/${two.id}/note`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${v.sim.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'text/markdown', value: 'a note from Taskade' }),
    });
    expect(res.ok).toBe(true);
    v.sim.resetStats();
    const passes = v.logs.filter((e) => e.type === 'run-start').length;
    daemon.pollNow([projectId]);
    await waitFor(() => v.read('notes/p.md').includes('a note from Taskade'), 'the note in the file');
    await sleep(300);
    await daemon.whenIdle();
    // The poll's list read (unchanged: no pass), the rotation's 3 reads per task outside any
    // pass, then one pass (its own list read) that takes the note as read.
    expect(v.sim.stats().requests).toEqual({
      [LIST]: 2,
      'GET /projects/{projectId}/tasks/{taskId}/note': 3,
      'GET /projects/{projectId}/tasks/{taskId}/date': 3,
      'GET /projects/{projectId}/tasks/{taskId}/assignees': 3,
    });
    expect(v.logs.filter((e) => e.type === 'run-start').length - passes).toBe(1);
    expect(v.read('notes/p.md')).toMatch(/Two \^tk-\w+\n {2}a note from Taskade\n/);
  });
});
