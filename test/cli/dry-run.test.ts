import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskadeClient } from '../../src/taskade/index.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function withClient<T>(world: CliWorld, fn: (c: TaskadeClient) => Promise<T>): Promise<T> {
  const client = new TaskadeClient({ baseUrl: world.sim.baseUrl, token: world.sim.token });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** The block of lines `sync --dry-run` prints for one file. */
function block(stdout: string, path: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${path} (project `));
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end);
}

describe('sync --dry-run, readable', () => {
  it('per file: the Taskade changes by task text, a unified diff of the file, the counts by kind last', async () => {
    w = await startCliWorld();
    const { projectId, taskIds } = w.sim.seedProject({
      name: 'P',
      tasks: [{ text: 'Write' }, { text: 'Gone soon' }, { text: 'Old name' }],
    });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    // In the file: complete one, delete one, add one. In Taskade: rename one.
    w.write(
      'p.md',
      w
        .read('p.md')
        .replace('- [ ] Write', '- [x] Write')
        .replace(/- \[ \] Gone soon.*\n/, '')
        .replace(/(- \[ \] Old name.*\n)/, '$1- [ ] Brand new\n'),
    );
    await withClient(w, (c) => c.updateTaskText(projectId, taskIds[2]!, 'New name'));
    const before = w.read('p.md');
    w.sim.resetStats();
    const r = await w.run('sync', '-n');
    expect(r.code, r.stderr).toBe(0);
    expect(w.sim.stats().writes).toBe(0);
    expect(w.read('p.md')).toBe(before);
    const lines = block(r.stdout, 'p.md');
    expect(lines[0]).toBe(`p.md (project ${projectId}):`);
    expect(lines.slice(1, 5)).toEqual([
      '  to Taskade:',
      '    complete “Write”',
      '    create “Brand new”',
      '    delete “Gone soon” and its subtree',
    ]);
    const diffStart = lines.indexOf('  the file would become:');
    expect(lines[diffStart + 1]).toBe('--- a/p.md');
    expect(lines[diffStart + 2]).toBe('+++ b/p.md');
    expect(lines).toContainEqual(expect.stringMatching(/^-- \[ \] Old name \^tk-\S+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\+- \[ \] New name \^tk-\S+$/));
    expect(lines.filter((l) => /^[-+]/.test(l) && !l.startsWith('---') && !l.startsWith('+++'))).toHaveLength(2);
    expect(lines.at(-1)).toBe('  p.md: 1 set-completed, 1 create, 1 delete to Taskade; 1 update in the file');
  });

  it('the diff is what the real run then writes (read by patch(1))', async () => {
    w = await startCliWorld();
    const { projectId, taskIds } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'One' }, { text: 'Two' }] });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    await withClient(w, async (c) => {
      await c.setCompleted(projectId, taskIds[0]!, true);
      await c.updateTaskText(projectId, taskIds[1]!, 'Two, renamed in Taskade');
    });
    const r = await w.run('sync', '--dry-run');
    const lines = block(r.stdout, 'p.md');
    expect(lines).not.toContain('  to Taskade:');
    const diff = lines.slice(lines.indexOf('  the file would become:') + 1, -1).join('\n') + '\n';
    const dir = mkdtempSync(join(tmpdir(), 'tsync-dry-'));
    try {
      writeFileSync(join(dir, 'p.md'), w.read('p.md'));
      const patched = spawnSync('patch', ['-s', join(dir, 'p.md')], { input: diff, encoding: 'utf8' });
      expect(patched.status, patched.stdout + patched.stderr).toBe(0);
      expect((await w.run('sync')).code).toBe(0);
      expect(readFileSync(join(dir, 'p.md'), 'utf8')).toBe(w.read('p.md'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--dry-run --json keeps the machine form: the plan, no diff text', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [] });
    w.write('p.md', linkedFile(projectId, ['- [ ] One']));
    const r = await w.run('sync', '--dry-run', '--json');
    const doc = JSON.parse(r.stdout) as { files: Array<Record<string, unknown>> };
    expect(Object.keys(doc.files[0]!)).toContain('plan');
    expect(Object.keys(doc.files[0]!)).not.toContain('preview');
    expect((doc.files[0]!.plan as { remote: Array<{ op: string }> }).remote.map((o) => o.op)).toEqual(['create']);
  });
});
