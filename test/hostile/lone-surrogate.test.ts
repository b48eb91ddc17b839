import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, writesOf, type World } from '../e2e/harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const linked = (projectId: string) => `---\ntaskade:\n  project: ${projectId}\n---\n# P\n\n`;

describe('a task text from Taskade with half of a UTF-16 pair', () => {
  it('reads as U+FFFD on every side and converges: no conflict, no write, on the second run', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({
      name: 'P',
      tasks: [{ text: 'high \uD800 here' }, { text: 'low \uDC00 there 🚀' }, { text: 'fine' }],
    });
    w.write('p.md', linked(projectId));
    const first = await w.sync();
    expect(first.exitCode).toBe(0);
    const text = w.read('p.md');
    expect(text).toMatch(/- \[ \] high \uFFFD here \^tk-/);
    expect(text).toMatch(/- \[ \] low \uFFFD there 🚀 \^tk-/);
    for (let run = 0; run < 2; run++) {
      w.sim.resetStats();
      const again = await w.sync();
      expect(again.exitCode).toBe(0);
      expect(again.files[0]!.conflicts).toEqual([]);
      expect(writesOf(w.sim)).toBe(0);
      expect(w.read('p.md')).toBe(text);
    }
  });

  it('an edit of such a task is pushed with U+FFFD, and then both sides agree', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'lone \uD800 one' }] });
    w.write('p.md', linked(projectId));
    await w.sync();
    w.write('p.md', w.read('p.md').replace(' one ', ' two '));
    expect((await w.sync()).exitCode).toBe(0);
    expect((await w.other.listTasks(projectId)).tasks.map((t) => t.text)).toEqual(['lone \uFFFD two']);
    w.sim.resetStats();
    expect((await w.sync()).files[0]!.conflicts).toEqual([]);
    expect(writesOf(w.sim)).toBe(0);
  });
});
