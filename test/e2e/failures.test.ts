import { afterEach, describe, expect, it } from 'vitest';
import { syncOnce } from '../../src/engine/index.js';
import { TaskadeClient } from '../../src/taskade/index.js';
import { fileOutline, remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const CREATE_ROUTE = '/projects/{projectId}/tasks/';

function newFile(projectId: string, n: number): string {
  const items = Array.from(
    { length: n },
    (_, i) => `- [${i % 3 === 0 ? 'x' : ' '}] Task ${i}${i === 1 ? '\n  - [ ] Child of 1' : ''}`,
  );
  return `---\ntaskade:\n  project: ${projectId}\n---\n# F\n\n${items.join('\n')}\n`;
}

const expected = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => [
    `${i % 3 === 0 ? '[x] ' : ''}Task ${i}`,
    ...(i === 1 ? ['  Child of 1'] : []),
  ]).flat();

describe('e2e: failures leave nothing lost and nothing duplicated', () => {
  it('a create applied whose response was lost is adopted by the next run, not created again', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 4));
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'POST', route: CREATE_ROUTE, count: 1 }]);
    const first = await w.sync();
    expect(first.files[0]!.outcome).toBe('failed');
    expect(first.exitCode).toBe(6);
    expect(w.journal.listIntents(projectId).length).toBeGreaterThan(0);
    // the tasks exist remotely, but the file does not know their ids
    expect(await remoteOutline(w.client, projectId)).toEqual(['Task 0', 'Task 1', 'Task 2', 'Task 3']);

    w.sim.setFaults([]);
    const second = await w.sync();
    expect(second.exitCode).toBe(0);
    expect(w.events.some((e) => e.type === 'adopt')).toBe(true);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected(4));
    expect(fileOutline(w.read('f.md'))).toEqual(expected(4));
    expect(w.journal.listIntents(projectId)).toEqual([]);
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().writes).toBe(0);
  });

  it('a lost create on a first sync, then the item edited before the next run: the edited text is the one task left, no duplicate', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 2));
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'POST', route: CREATE_ROUTE, count: 1 }]);
    expect((await w.sync()).files[0]!.outcome).toBe('failed');
    w.sim.setFaults([]);
    w.write('f.md', w.read('f.md').replace('- [ ] Task 1', '- [ ] Task 1, edited'));
    const r = await w.sync();
    expect(r.exitCode, JSON.stringify(r.files[0])).toBe(0);
    const want = ['[x] Task 0', 'Task 1, edited', '  Child of 1'];
    expect(await remoteOutline(w.client, projectId)).toEqual(want);
    expect(fileOutline(w.read('f.md'))).toEqual(want);
    expect(w.journal.listIntents(projectId)).toEqual([]);
    w.sim.resetStats();
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('an adoption in a run that could not write the file (held while being edited) is adopted again next run: no delete and re-create', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 2));
    expect((await w.sync()).exitCode).toBe(0); // linked, with a base
    w.write('f.md', `${w.read('f.md')}- [ ] Added later\n`);
    w.sim.setFaults([{ kind: 'applyThenDrop', method: 'POST', route: CREATE_ROUTE, count: 1 }]);
    expect((await w.sync()).files[0]!.outcome).toBe('failed');
    w.sim.setFaults([]);
    const createdId = (await w.client.listTasks(projectId)).tasks.find((t) => t.text === 'Added later')!.id;

    const held = await w.sync({ holdLocalWrite: () => true });
    expect(held.files[0]!.outcome).toBe('held');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
    expect(w.sim.stats().requests[`POST ${CREATE_ROUTE}`] ?? 0).toBe(0);
    const list = (await w.client.listTasks(projectId)).tasks;
    expect(list.filter((t) => t.text === 'Added later').map((t) => t.id)).toEqual([createdId]);
    expect(fileOutline(w.read('f.md'))).toEqual([...expected(2), 'Added later']);
    expect(w.read('f.md')).toContain(`Added later ^tk-`);
    expect(w.journal.listIntents(projectId)).toEqual([]);
  });

  it('a crash between a create and its journal commit: the restarted run adopts, no duplicate', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 3));
    // A client that dies right after Taskade answered the create: nothing after it runs.
    const crashing = new TaskadeClient({ baseUrl: w.sim.baseUrl, token: w.sim.token });
    const create = crashing.createTasks.bind(crashing);
    crashing.createTasks = async (...args) => {
      await create(...args);
      throw new Error('process killed');
    };
    await expect(
      syncOnce({ root: w.root, config: w.config, journal: w.journal, client: crashing, logger: { event: () => {} } }),
    ).rejects.toThrow('process killed');
    await crashing.close();
    w.reopen(); // a new process
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected(3));
    expect(fileOutline(w.read('f.md'))).toEqual(expected(3));
    expect(w.read('f.md').match(/\^tk-/g)).toHaveLength(4);
  });

  it('a 429 storm: the run stops with exit 6, and the next run finishes with nothing lost', async () => {
    w = await startWorld({ queue: { maxRateLimitRetries: 0, maxPauseMs: 20 } });
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 30));
    w.sim.setRateLimit({ requests: 4, windowMs: 60_000 });
    const first = await w.sync();
    expect(first.exitCode).toBe(6);
    expect(w.sim.stats().rateLimited).toBeGreaterThan(0);
    w.sim.setRateLimit(null);
    const second = await w.sync();
    expect(second.exitCode).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected(30));
    expect(fileOutline(w.read('f.md'))).toEqual(expected(30));
    w.sim.resetStats();
    expect((await w.sync()).requests.writes).toBe(0);
  });

  it('503s on a share of requests: retried where safe; what still failed is finished by the next run', async () => {
    w = await startWorld({ queue: { maxRetries: 1 } });
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 45));
    w.sim.setFaults([{ kind: 'status503', rate: 0.4 }]);
    const first = await w.sync();
    expect(w.sim.stats().faults).toBeGreaterThan(0);
    w.sim.setFaults([]);
    const second = await w.sync();
    expect(second.exitCode, JSON.stringify({ first: first.files[0], second: second.files[0] })).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected(45));
    expect(fileOutline(w.read('f.md'))).toEqual(expected(45));
    w.sim.resetStats();
    expect((await w.sync()).requests.writes).toBe(0);
  });
});

describe('e2e: stopping a run', () => {
  it('an abort between requests commits what succeeded; the next run finishes without duplicates', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'F' });
    w.write('f.md', newFile(projectId, 25));
    const stop = new AbortController();
    const { syncOnce: run } = await import('../../src/engine/index.js');
    const report = await run(
      {
        root: w.root,
        config: w.config,
        journal: w.journal,
        client: w.client,
        logger: { event: (e) => (e.type === 'remote-create' ? stop.abort() : undefined) },
      },
      { signal: stop.signal },
    );
    expect(report.files[0]!.outcome).toBe('failed');
    const second = await w.sync();
    expect(second.exitCode).toBe(0);
    expect(await remoteOutline(w.client, projectId)).toEqual(expected(25));
    expect(fileOutline(w.read('f.md'))).toEqual(expected(25));
  });
});
