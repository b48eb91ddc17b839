import { afterEach, describe, expect, it } from 'vitest';
import { TaskadeClient } from '../../src/taskade/index.js';
import { linkedFile, startCliWorld, type CliWorld } from '../cli/cli-world.js';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const HOSTILE = ['..', '.', 'a/b', 'a\\\\b', '../../workspaces', '%2e%2e', 'a b', 'tab\\there', 'x'.repeat(65)];

describe('a project id in front matter that is not an id', () => {
  it.each(HOSTILE)('%j is refused naming the file and line; no request is sent', async (id) => {
    w = await startCliWorld();
    w.sim.seedProject({ name: 'P', tasks: [{ text: 'a' }] });
    w.write('bad.md', `---\ntitle: x\ntaskade:\n  project: "${id}"\n---\n# Bad\n\n- [ ] one\n`);
    const before = w.read('bad.md');
    w.sim.resetStats();
    const r = await w.run('sync');
    expect(r.stderr).toMatch(/error: bad\.md:4 {2}`taskade\.project` is ".*" is not a Taskade id/);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(w.sim.stats().requests).toEqual({});
    expect(w.read('bad.md')).toBe(before);
    // `sync FILE` names it as well
    const one = await w.run('sync', 'bad.md');
    expect(one.stderr).toContain('bad.md:4');
    expect(w.sim.stats().requests).toEqual({});
  });

  it('a good file next to it still syncs', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'a' }] });
    w.write('bad.md', '---\ntaskade:\n  project: ".."\n---\n- [ ] one\n');
    w.write('good.md', linkedFile(projectId, []));
    await w.run('sync');
    expect(w.read('good.md')).toContain('- [ ] a ^tk-');
  });
});

describe('ids given on the command line', () => {
  it.each([
    ['link', ['link', 'f.md', '--project', '..'], '--project'],
    ['link --new', ['link', 'f.md', '--new', '--folder', '../x'], '--folder'],
    ['pull --project', ['pull', '--project', '..'], '--project'],
    ['pull --folder', ['pull', '--folder', 'a/b'], '--folder'],
    ['pull --workspace', ['pull', '--workspace', '.'], '--workspace'],
    ['ls folders', ['ls', 'folders', '..'], 'ID'],
  ])('%s: a usage error (exit 2) naming the flag, before any request', async (_, argv, flag) => {
    w = await startCliWorld();
    w.write('f.md', '# F\n');
    w.sim.resetStats();
    const r = await w.run(...argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`\`${flag}\` "`);
    expect(r.stderr).toContain('is not a Taskade id');
    expect(w.sim.stats().requests).toEqual({});
    expect(w.read('f.md')).toBe('# F\n');
  });
});

describe('the client', () => {
  it('never puts a path of its own into a request path, whatever it is asked', async () => {
    w = await startCliWorld();
    const client = new TaskadeClient({ baseUrl: w.sim.baseUrl, token: w.sim.token });
    try {
      w.sim.resetStats();
      for (const id of ['..', '.', 'a/b', 'a\\b', 'x\ny'])
        await expect(client.listTasks(id)).rejects.toMatchObject({
          code: 'VALIDATION',
          message: expect.stringContaining('expected an opaque Taskade id in the path'),
        });
      await expect(client.getProject('..')).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(client.getNote('P', '..')).rejects.toMatchObject({ code: 'VALIDATION' });
      expect(w.sim.stats().requests).toEqual({});
    } finally {
      await client.close();
    }
  });
});
