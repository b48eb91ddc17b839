import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../e2e/harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const linked = (projectId: string, items: string) => `---\ntaskade:\n  project: ${projectId}\n---\n# Notes\n\n${items}`;
const warnings = (world: World) => world.events.filter((e) => e.type === 'journal-lost');

describe('a lost or emptied journal', () => {
  it('is said once, naming the state dir, and the run goes on as a first sync that deletes nothing', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'a' }, { text: 'b' }] });
    w.write('p.md', linked(projectId, '- [ ] local\n'));
    expect((await w.sync()).exitCode).toBe(0);
    expect(w.read('p.md')).toMatch(/\^tk-/);
    expect(warnings(w)).toEqual([]);

    w.journal.close();
    for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) rmSync(`${w.config.stateDir}/${f}`, { force: true });
    w.reopen();
    const before = w.read('p.md');
    w.sim.resetStats();
    expect((await w.sync()).exitCode).toBe(0);
    expect(warnings(w)).toHaveLength(1);
    expect(warnings(w)[0]).toMatchObject({ level: 'warn', data: { stateDir: w.config.stateDir, files: ['p.md'] } });
    expect(warnings(w)[0]!.message).toContain(`the journal in ${w.config.stateDir} knows none of the linked files`);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
    expect(w.read('p.md')).toBe(before);

    // The journal knows the file again: no second warning.
    await w.sync();
    expect(warnings(w)).toHaveLength(1);
  });

  it('is not claimed on a real first sync (front matter, no ids yet)', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'a' }] });
    w.write('p.md', linked(projectId, '- [ ] local\n- [ ] a user block id ^mine\n'));
    w.write('unlinked.md', '# Not linked\n\n- [ ] copied ^tk-abc123\n');
    expect((await w.sync()).exitCode).toBe(0);
    expect(warnings(w)).toEqual([]);
  });
});
