import { afterEach, describe, expect, it } from 'vitest';
import { TaskadeClient } from '../../src/taskade/index.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld;
afterEach(async () => {
  await w?.close();
});

describe('taskade-sync sync --deep', () => {
  it('finds a remote note edit on an otherwise unchanged task, which a plain sync does not read', async () => {
    w = await startCliWorld();
    const { projectId, taskIds } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'Alpha' }, { text: 'Beta' }] });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);

    // Another Taskade client edits only the note: the task list (text, completion, parent) is unchanged.
    const other = new TaskadeClient({ baseUrl: w.sim.baseUrl, token: w.sim.token });
    await other.putNote(projectId, taskIds[1]!, 'Written in Taskade');
    await other.close();

    w.sim.resetStats();
    const plain = await w.run('sync');
    expect(plain.code).toBe(0);
    expect(w.read('p.md')).not.toContain('Written in Taskade');
    expect(w.sim.stats()).toMatchObject({ reads: 1, writes: 0 });

    w.sim.resetStats();
    const deep = await w.run('sync', '--deep');
    expect(deep.code, deep.stderr).toBe(0);
    expect(w.read('p.md')).toMatch(/Beta \^tk-[0-9a-f]{8}\n {2}Written in Taskade\n/);
    // One list read, then note + date + assignees for each of the two tasks; nothing sent back.
    expect(w.sim.stats()).toMatchObject({ reads: 1 + 2 * 3, writes: 0 });
  });
});
