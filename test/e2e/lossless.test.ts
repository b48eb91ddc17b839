import { afterEach, describe, expect, it } from 'vitest';
import { remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

const link = (projectId: string, body: string): string => `---\ntaskade:\n  project: ${projectId}\n---\n${body}`;

describe('e2e: headings carry no ids; the journal knows them', () => {
  it('the first sync leaves every heading as written, and later syncs keep each heading its own task', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Notes' });
    const body = '# Notes\n\n## Plans ##\n\n- [ ] a\n\n### Plans\n\n- [ ] b\n\nSetext\n------\n\n- [ ] c\n';
    w.write('n.md', link(projectId, body));
    await w.sync();
    const text = w.read('n.md');
    expect(text.split('\n').filter((l) => /\^tk-/.test(l))).toEqual([
      expect.stringMatching(/^- \[ \] a \^tk-/),
      expect.stringMatching(/^- \[ \] b \^tk-/),
      expect.stringMatching(/^- \[ \] c \^tk-/),
    ]);
    expect(text.replace(/ \^tk-[A-Za-z0-9]+/g, '')).toBe(link(projectId, body));
    expect(await remoteOutline(w.client, projectId)).toEqual(['Plans', '  a', '  Plans', '    b', 'Setext', '  c']);
    const ids = (await w.client.listTasks(projectId)).tasks.map((t) => t.id);

    w.sim.resetStats();
    expect((await w.sync()).files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().writes).toBe(0);

    // Renamed in the file: the same task gets the new text (no delete and create).
    w.write('n.md', w.read('n.md').replace('### Plans', '### Later plans'));
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests).toEqual({
      'GET /projects/{projectId}/tasks': 1,
      'PUT /projects/{projectId}/tasks/{taskId}': 1,
    });
    expect((await w.client.listTasks(projectId)).tasks.map((t) => t.id)).toEqual(ids);

    // Renamed in Taskade: the heading's text changes and nothing else on its line.
    const setext = (await w.client.listTasks(projectId)).tasks.find((t) => t.text === 'Setext')!;
    await w.other.updateTaskText(projectId, setext.id, 'Underlined');
    await w.sync();
    expect(w.read('n.md')).toContain('\nUnderlined\n------\n');
    expect(w.read('n.md')).toContain('\n## Plans ##\n');
    w.sim.resetStats();
    expect((await w.sync()).files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().writes).toBe(0);
  });

  it('a heading id written by an older version is read, then removed; the heading stays its task', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Old' });
    w.write('o.md', link(projectId, '# Old\n\n## Section\n\n- [ ] item\n'));
    await w.sync();
    const [section, item] = (await w.client.listTasks(projectId)).tasks;
    // What an older version wrote: the heading's id in its text.
    const short = section!.id.replace(/[^A-Za-z0-9]/g, '');
    w.write('o.md', w.read('o.md').replace('## Section\n', `## Section ^tk-${short}\n`));
    w.sim.resetStats();
    await w.sync();
    expect(w.read('o.md')).toBe(link(projectId, `# Old\n\n## Section\n\n- [ ] item ^tk-${shortOf(w.read('o.md'))}\n`));
    expect(w.sim.stats().writes).toBe(0);
    expect((await w.client.listTasks(projectId)).tasks.map((t) => t.id)).toEqual([section!.id, item!.id]);
    w.sim.resetStats();
    expect((await w.sync()).files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().writes).toBe(0);
  });
});

function shortOf(text: string): string {
  return /\^tk-([A-Za-z0-9]+)/.exec(text)![1]!;
}

describe('e2e: a task added in Taskade after the last section', () => {
  it('is written after that section’s items (where Taskade shows it), not before the first heading', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Plan' });
    w.write(
      'p.md',
      link(projectId, '# Plan\n\n- [ ] top\n\n## A\n\n- [ ] a1\n\n## B\n\n- [ ] b1\n\n### B.1\n\n- [ ] b11\n'),
    );
    await w.sync();
    await w.other.createTasks(projectId, [
      { contentType: 'text/markdown', content: 'Added in Taskade', placement: 'beforeend' },
    ]);
    expect((await remoteOutline(w.client, projectId)).at(-1)).toBe('Added in Taskade');
    await w.sync();
    const lines = w.read('p.md').trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^- \[ \] b11 \^tk-/),
      expect.stringMatching(/^- \[ \] Added in Taskade \^tk-/),
    ]);
    expect(lines.filter((l) => l.includes('Added in Taskade'))).toHaveLength(1);
    // The file reads it as B.1's last item: the next sync puts it there in Taskade too, and then rests.
    await w.sync();
    expect((await remoteOutline(w.client, projectId)).slice(-2)).toEqual(['    b11', '    Added in Taskade']);
    const text = w.read('p.md');
    w.sim.resetStats();
    expect((await w.sync()).files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().writes).toBe(0);
    expect(w.read('p.md')).toBe(text);
  });
});

describe("e2e: the user's own block id is the task's anchor", () => {
  it('stays last and untouched (no ^tk- id added); the journal maps it, so later syncs keep the task', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'Embeds' });
    const body = '# Embeds\n\n- [ ] Embed me ^my-block\n- [ ] plain\n';
    w.write('e.md', link(projectId, body));
    await w.sync();
    const text = w.read('e.md');
    expect(text).toContain('\n- [ ] Embed me ^my-block\n');
    expect(text.match(/\^tk-/g)).toHaveLength(1); // only `plain`
    const [embed] = (await w.client.listTasks(projectId)).tasks;
    expect(embed!.text).toBe('Embed me');
    expect(w.journal.listAnchors(projectId)).toEqual(new Map([['my-block', embed!.id]]));

    w.sim.resetStats();
    expect((await w.sync()).files[0]!.outcome).toBe('unchanged');
    expect(w.sim.stats().writes).toBe(0);

    // Edited in the file: the same task changes (no delete and create).
    w.write('e.md', w.read('e.md').replace('Embed me ^my-block', 'Embed me now ^my-block'));
    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().requests['PUT /projects/{projectId}/tasks/{taskId}']).toBe(1);
    expect(w.sim.stats().requests['POST /projects/{projectId}/tasks/']).toBeUndefined();
    // Renamed and dated in Taskade: the anchor stays last on the line.
    await w.other.updateTaskText(projectId, embed!.id, 'Embedded');
    await w.other.putDate(projectId, embed!.id, { start: { date: '2026-12-01' } });
    await w.sync({ files: ['e.md'] });
    expect(w.read('e.md')).toContain('\n- [ ] Embedded 📅 2026-12-01 ^my-block\n');
    expect((await w.client.listTasks(projectId)).tasks.map((t) => t.id)[0]).toBe(embed!.id);
  });
});
