import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCliWorld, linkedFile, type CliWorld } from '../cli/cli-world.js';

/**
 * Symbolic links inside the notes root that lead out of it: nothing is read or written through
 * them, and the refusal names the path. The CLI world's root is `<parent>/notes`; `<parent>/outside`
 * stands for the user's other files.
 */
let w: CliWorld;
let outside: string;
afterEach(async () => {
  await w?.close();
});

async function world(config: Record<string, unknown> = {}): Promise<CliWorld> {
  w = await startCliWorld(config);
  outside = join(w.root, '..', 'outside');
  mkdirSync(outside);
  return w;
}

describe.runIf(process.platform !== 'win32')('symbolic links out of the notes root', () => {
  it('sync linkdir/x.md: the file behind the link is not synced, not rewritten, and the path is named', async () => {
    await world();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'from Taskade' }] });
    const secret = linkedFile(projectId, ['- [ ] local']);
    writeFileSync(join(outside, 'x.md'), secret);
    symlinkSync(outside, join(w.root, 'linkdir'));
    w.sim.resetStats();
    const r = await w.run('sync', 'linkdir/x.md');
    expect(r.stdout + r.stderr).toContain('refusing linkdir/x.md');
    expect(r.stdout + r.stderr).toContain('outside the notes root');
    expect(readFileSync(join(outside, 'x.md'), 'utf8')).toBe(secret);
    expect(w.sim.stats().requests).toEqual({});
  });

  it('a mapping naming a link to a file outside the root is refused; the file is untouched', async () => {
    const sim = await world();
    const { projectId } = sim.sim.seedProject({ name: 'P', tasks: [{ text: 'from Taskade' }] });
    writeFileSync(
      join(w.root, 'sync.config.json'),
      JSON.stringify({
        requestsPerMinute: 100000,
        lockWaitMs: 200,
        mappings: [{ file: 'mapped.md', project: projectId }],
      }),
    );
    writeFileSync(join(outside, 'diary.md'), '- [ ] private\n');
    symlinkSync(join(outside, 'diary.md'), join(w.root, 'mapped.md'));
    const r = await w.run('sync');
    expect(r.stdout + r.stderr).toContain('refusing mapped.md');
    expect(readFileSync(join(outside, 'diary.md'), 'utf8')).toBe('- [ ] private\n');
    expect(lstatSync(join(w.root, 'mapped.md')).isSymbolicLink()).toBe(true);
  });

  it('link through a linked folder exits 2 naming the path, and writes nothing anywhere', async () => {
    await world();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'from Taskade' }] });
    writeFileSync(join(outside, 'x.md'), '# X\n');
    symlinkSync(outside, join(w.root, 'linkdir'));
    w.sim.resetStats();
    const r = await w.run('link', 'linkdir/x.md', '--project', projectId);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing linkdir/x.md');
    expect(readFileSync(join(outside, 'x.md'), 'utf8')).toBe('# X\n');
    expect(w.sim.stats().writes).toBe(0);
  });

  it('pull --into a linked folder exits 2 and creates nothing outside the root', async () => {
    await world();
    const { projectId } = w.sim.seedProject({ name: 'Solo', tasks: [{ text: 's' }] });
    symlinkSync(outside, join(w.root, 'linkdir'));
    const r = await w.run('pull', '--project', projectId, '--into', 'linkdir');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing linkdir/Solo.md');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('pull --workspace where the workspace folder is a link out of the root exits 2 and creates nothing there', async () => {
    await world();
    w.sim.seedProject({ name: 'Home project', tasks: [{ text: 'h1' }] });
    symlinkSync(outside, join(w.root, w.sim.workspace.name));
    const r = await w.run('pull', '--workspace', w.sim.workspace.id);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('outside the notes root');
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe.runIf(process.platform !== 'win32')('a symlinked note whose target is inside the root', () => {
  it('is written through to its target: the link stays a link', async () => {
    await world();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'from Taskade' }] });
    w.write('real/target.md', linkedFile(projectId, []));
    symlinkSync(join('real', 'target.md'), join(w.root, 'alias.md'));
    const r = await w.run('sync', 'alias.md');
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(w.root, 'alias.md')).isSymbolicLink()).toBe(true);
    expect(w.read('real/target.md')).toContain('- [ ] from Taskade ^tk-');
    expect(existsSync(join(w.root, 'real'))).toBe(true);
    expect(readdirSync(join(w.root, 'real'))).toEqual(['target.md']);
  });
});
