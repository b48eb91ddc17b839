import { afterEach, describe, expect, it } from 'vitest';
import { fileOutline, remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

describe('e2e: linking and the first sync', () => {
  it('pushes a new file into an empty project, writes the ids back, and a second sync makes zero writes', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Roadmap' });
    w.write(
      'roadmap.md',
      `---\ntaskade:\n  project: ${projectId}\n---\n# Roadmap\n\nSome prose.\n\n- [ ] Ship the importer\n  - [x] Parse front matter\n- Plain bullet\n`,
    );
    const first = await w.sync();
    expect(first.exitCode).toBe(0);
    expect(first.files[0]).toMatchObject({ path: 'roadmap.md', outcome: 'synced' });
    expect(await remoteOutline(w.client, projectId)).toEqual([
      'Ship the importer',
      '  [x] Parse front matter',
      'Plain bullet',
    ]);
    const text = w.read('roadmap.md');
    expect(text.match(/\^tk-[A-Za-z0-9]+/g)).toHaveLength(3);
    expect(text).toContain('Some prose.');

    w.sim.resetStats();
    const second = await w.sync();
    expect(second.files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().writes).toBe(0);
    expect(w.sim.stats().reads).toBe(1); // one task-list page, no sub-resource reads
    expect(w.read('roadmap.md')).toBe(text);
  });

  it('pulls remote tasks into a linked empty file, with notes, dates and assignees', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({
      name: 'Home',
      tasks: [
        { text: 'Buy milk', note: 'semi-skimmed', date: { date: '2026-12-01' } },
        { text: 'Fix the door', completed: true, children: [{ text: 'Find the screwdriver', assignees: ['alice'] }] },
      ],
    });
    w.write('home.md', `---\ntaskade:\n  project: ${projectId}\n---\n# Home\n`);
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    const text = w.read('home.md');
    expect(fileOutline(text)).toEqual([
      expect.stringMatching(/^Buy milk/),
      expect.stringMatching(/^\[x\] Fix the door/),
      expect.stringMatching(/^ {2}Find the screwdriver/),
    ]);
    expect(text).toContain('📅 2026-12-01');
    expect(text).toContain('semi-skimmed');
    expect(text).toContain('@alice');
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().writes).toBe(0);
  });
});
