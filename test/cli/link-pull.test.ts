import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskadeClient } from '../../src/taskade/index.js';
import { startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld;
afterEach(async () => {
  await w?.close();
});

async function remoteTexts(world: CliWorld, projectId: string): Promise<string[]> {
  const client = new TaskadeClient({ baseUrl: world.sim.baseUrl, token: world.sim.token });
  try {
    return (await client.listTasks(projectId)).tasks.map((t) => t.text);
  } finally {
    await client.close();
  }
}

describe('taskade-sync link', () => {
  it('--project: writes the front matter link, matches items already on both sides by content, adds the rest, deletes nothing', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({
      name: 'Shared',
      tasks: [{ text: 'Both sides' }, { text: 'Only remote' }],
    });
    w.write('notes/shared.md', '# Shared\n\nIntro text.\n\n- [ ] Both sides\n- [ ] Only local\n');
    const r = await w.run('link', 'notes/shared.md', '--project', projectId);
    expect(r.code, r.stderr).toBe(0);
    const text = w.read('notes/shared.md');
    expect(text.startsWith(`---\ntaskade:\n  project: ${projectId}\n---\n`)).toBe(true);
    expect(text).toContain('Intro text.');
    expect(text).toContain('Only remote');
    expect(text.match(/Both sides/g)).toHaveLength(1);
    expect((await remoteTexts(w, projectId)).sort()).toEqual(['Both sides', 'Only local', 'Only remote']);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
  });

  it('--project on a file linked to another project is refused, naming both; the file and both projects are untouched', async () => {
    w = await startCliWorld();
    const first = w.sim.seedProject({ name: 'First', tasks: [{ text: 'one' }] });
    const second = w.sim.seedProject({ name: 'Second', tasks: [{ text: 'two' }] });
    w.write('f.md', '# F\n');
    expect((await w.run('link', 'f.md', '--project', first.projectId)).code).toBe(0);
    const before = w.read('f.md');
    w.sim.resetStats();
    const r = await w.run('link', 'f.md', '--project', second.projectId);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`f.md is already linked to project ${first.projectId}`);
    expect(r.stderr).toContain(second.projectId);
    expect(w.read('f.md')).toBe(before);
    expect(w.sim.stats().writes).toBe(0);
    expect(await remoteTexts(w, second.projectId)).toEqual(['two']);
    // Linking again to the same project is fine: it is one more sync.
    expect((await w.run('link', 'f.md', '--project', first.projectId)).code).toBe(0);
  });

  it('--project on a file whose front matter is not valid YAML is a usage error (exit 2); nothing changes', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'one' }] });
    const broken = '---\ntaskade: {project: [\n---\n# Broken\n\n- [ ] one\n';
    w.write('broken.md', broken);
    w.sim.resetStats();
    const r = await w.run('link', 'broken.md', '--project', projectId);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('not valid YAML');
    expect(w.read('broken.md')).toBe(broken);
    expect(w.sim.stats().writes).toBe(0);
  });

  it('--new --folder: creates the project named after the H1 and pushes the tasks with their ids coming back', async () => {
    w = await startCliWorld();
    w.write('plan.md', '# Launch plan\n\n- [ ] Draft\n  - [x] Outline\n- [ ] Review\n');
    const r = await w.run('link', 'plan.md', '--new', '--folder', w.sim.workspace.folders[0]!.id);
    expect(r.code, r.stderr).toBe(0);
    const projectId = /created project (\w+)/.exec(r.stdout)![1]!;
    expect(await remoteTexts(w, projectId)).toEqual(['Draft', 'Outline', 'Review']);
    expect(w.read('plan.md').match(/\^tk-/g)).toHaveLength(3);
    expect((await w.run('sync')).code).toBe(0);
  });

  it('refuses an unknown project (exit 2) and leaves the file alone', async () => {
    w = await startCliWorld();
    w.write('a.md', '- [ ] a\n');
    const r = await w.run('link', 'a.md', '--project', 'NoSuchProject000');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NoSuchProject000 was not found');
    expect(w.read('a.md')).toBe('- [ ] a\n');
  });

  it('needs exactly one of --project and --new --folder', async () => {
    w = await startCliWorld();
    w.write('a.md', '');
    expect((await w.run('link', 'a.md')).code).toBe(2);
    expect((await w.run('link', 'a.md', '--new')).code).toBe(2);
  });
});

describe('taskade-sync pull', () => {
  it('--workspace: one file per project at <root>/<workspace>/<folder>/<project>.md, with the tasks', async () => {
    w = await startCliWorld();
    const folder = w.sim.workspace.folders[0]!;
    w.sim.seedProject({ name: 'Home project', tasks: [{ text: 'h1' }] });
    w.sim.seedProject({
      folderId: folder.id,
      name: 'Team project',
      tasks: [{ text: 't1', children: [{ text: 't2' }] }],
    });
    const r = await w.run('pull', '--workspace', w.sim.workspace.id);
    expect(r.code, r.stderr).toBe(0);
    const ws = w.sim.workspace.name;
    expect(w.read(`${ws}/Home project.md`)).toContain('- [ ] h1 ^tk-');
    expect(w.read(`${ws}/${folder.name}/Team project.md`)).toMatch(/- \[ \] t1 \^tk-\w+\n {2}- \[ \] t2 \^tk-/);
    // pulling again syncs the existing files instead of writing new ones
    const again = await w.run('pull', '--workspace', w.sim.workspace.id);
    expect(again.code).toBe(0);
    expect(readdirSync(join(w.root, ws)).sort()).toEqual(['Home project.md', folder.name].sort());
  });

  it('makes hostile project names safe and keeps every file inside the root', async () => {
    w = await startCliWorld();
    const names = ['../../x', 'CON', 'a/b', 'x'.repeat(300), '🚀 Launch 🚀', '...', 'same', 'same'];
    for (const name of names) w.sim.seedProject({ name, tasks: [{ text: `task of ${name.slice(0, 10)}` }] });
    const r = await w.run('pull', '--folder', w.sim.workspace.id, '--into', 'pulled');
    expect(r.code, r.stderr).toBe(0);
    const dir = join(w.root, 'pulled', w.sim.workspace.name);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(names.length);
    expect(files).toContain('CON_.md');
    expect(files).toContain('a-b.md');
    expect(files).toContain('🚀 Launch 🚀.md');
    expect(files.every((f) => Buffer.byteLength(f) <= 255 && !f.startsWith('.'))).toBe(true);
    expect(files.filter((f) => f.startsWith('same'))).toHaveLength(2);
    expect(existsSync(join(w.root, '..', 'x.md'))).toBe(false);
  });

  it('--project writes DIR/<project>.md; --into outside the root is refused', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'Solo', tasks: [{ text: 's' }] });
    expect((await w.run('pull', '--project', projectId)).code).toBe(0);
    expect(w.read('Solo.md')).toContain(`project: ${projectId}`);
    expect((await w.run('pull', '--project', projectId, '--into', '../out')).code).toBe(2);
  });
});
