import { afterEach, describe, expect, it } from 'vitest';
import { hashTaskList } from '../../src/engine/index.js';
import { startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

describe('e2e: the list as a pass left it (FileReport.listHash)', () => {
  it('is the hash of the list Taskade holds after creates, a rename, a completion, a move and a delete', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({
      name: 'P',
      tasks: [{ text: 'One', children: [{ text: 'One.a' }, { text: 'One.b' }] }, { text: 'Two' }, { text: 'Three' }],
    });
    w.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n\n`);
    const first = await w.sync();
    expect(first.files[0]!.listHash).toBe(hashTaskList(await w.client.listTasks(projectId)));
    const lines = w.read('p.md').split('\n');
    const line = (text: string) => lines.find((l) => l.includes(`] ${text} ^tk-`))!;
    const [oneA, oneB, two, three] = [line('One.a'), line('One.b'), line('Two'), line('Three')];
    // Two renamed and completed, One.b deleted, One.a moved under Three, two tasks new.
    const moved = lines
      .filter((l) => l !== oneA && l !== oneB)
      .map((l) => (l === two ? l.replace('- [ ] Two', '- [x] Two, renamed') : l))
      .flatMap((l) => (l === three ? [l, '  - [ ] Three.a, new', oneA, '- [ ] Four, new'] : [l]))
      .join('\n');
    w.write('p.md', moved);
    const second = await w.sync();
    expect(second.files[0]!.outcome).toBe('synced');
    expect(second.requests.writes).toBeGreaterThan(4);
    expect(second.files[0]!.listHash).toBe(hashTaskList(await w.client.listTasks(projectId)));
  });

  it('is absent when the pass did not leave both sides in sync (a conflict)', async () => {
    w = await startWorld();
    const { projectId, taskIds } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'One' }] });
    w.write('p.md', `---\ntaskade:\n  project: ${projectId}\n---\n# P\n\n`);
    await w.sync();
    await w.other.updateTaskText(projectId, taskIds[0]!, 'One (Taskade)');
    w.write('p.md', w.read('p.md').replace('One', 'One (file)'));
    const r = await w.sync();
    expect(r.files[0]!.outcome).toBe('conflicts');
    expect(r.files[0]!.listHash).toBeUndefined();
  });
});
