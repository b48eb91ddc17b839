import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCliWorld, linkedFile, type CliWorld } from '../cli/cli-world.js';
import { runCli } from '../support/cli.js';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** What a user must never see: a JavaScript stack trace, or exit 1. */
function expectClearError(r: { code: number; stderr: string }, code: number): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
}

function config(world: CliWorld, c: Record<string, unknown>): void {
  writeFileSync(join(world.root, 'sync.config.json'), JSON.stringify({ lockWaitMs: 200, ...c }));
}

describe('a broken state.db', () => {
  it('with scrambled pages: exit 2 naming the file and how to recover (move it aside); no write to Taskade', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({
      name: 'P',
      tasks: Array.from({ length: 200 }, (_, i) => ({ text: `task ${i} ${'x'.repeat(40)}` })),
    });
    w.write('p.md', linkedFile(projectId, []));
    expect((await w.run('sync')).code).toBe(0);
    const db = join(w.root, '.taskade-sync', 'state.db');
    // The header (page 1) stays as it is; every later page gets garbage in its middle.
    const pageSize = readFileSync(db).readUInt16BE(16);
    const size = statSync(db).size;
    expect(size).toBeGreaterThan(3 * pageSize);
    const fd = openSync(db, 'r+');
    for (let at = pageSize; at < size; at += pageSize) writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, at + 100);
    closeSync(fd);
    const before = w.read('p.md');
    w.sim.resetStats();
    const r = await w.run('sync');
    expectClearError(r, 2);
    expect(r.stderr).toContain(db);
    expect(r.stderr).toMatch(/damaged|corrupt/);
    expect(r.stderr).toContain('move it aside');
    expect(w.read('p.md')).toBe(before);
    expect(w.sim.stats().writes).toBe(0);
  });

  it('that is not a database at all: exit 2 naming the file', async () => {
    w = await startCliWorld();
    w.write('.taskade-sync/state.db', 'not a database '.repeat(100));
    const r = await w.run('sync');
    expectClearError(r, 2);
    expect(r.stderr).toContain(join(w.root, '.taskade-sync', 'state.db'));
    expect(r.stderr).toContain('move it aside');
  });
});

describe('config', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    '`tokenEnv` %j that is not set is "not set" (exit 2), not a crash',
    async (name) => {
      w = await startCliWorld();
      config(w, { tokenEnv: name });
      for (const command of ['sync', 'ls', 'watch']) {
        const r = await w.run(command);
        expectClearError(r, 2);
        expect(r.stderr).toContain(`the environment variable ${name} is not set`);
      }
    },
  );

  it('deeply nested JSON is a config error naming the key, not a stack overflow', async () => {
    w = await startCliWorld();
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    for (const text of [
      `{"root": ${deep(100_000)}}`,
      `{"watch": {"debounceMs": ${deep(100_000)}}}`,
      `{"mappings": ${deep(100_000)}}`,
      `{"$comment": ${deep(100_000)}}`,
      `{"nope": ${deep(100_000)}}`,
      deep(100_000),
    ]) {
      writeFileSync(join(w.root, 'sync.config.json'), text);
      const r = await w.run('sync');
      expectClearError(r, 2);
      expect(r.stderr).toContain('sync.config.json');
    }
  });

  it('`stateDir` naming an existing file (or a folder inside one) is a config error naming it', async () => {
    w = await startCliWorld();
    w.write('notes.md', '# not a folder\n');
    for (const stateDir of ['notes.md', 'notes.md/state']) {
      config(w, { stateDir });
      const r = await w.run('sync');
      expectClearError(r, 2);
      expect(r.stderr).toContain('`stateDir`');
      expect(r.stderr).toContain(join(w.root, 'notes.md'));
    }
    expect(w.read('notes.md')).toBe('# not a folder\n');
  });

  it('saved with a UTF-8 byte order mark is read', async () => {
    w = await startCliWorld();
    writeFileSync(join(w.root, 'sync.config.json'), '\uFEFF' + JSON.stringify({ lockWaitMs: 200, ids: 'block' }));
    const r = await w.run('sync');
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('a token that cannot be a token', () => {
  it.each([
    ['a line break inside', 'abc\r\ndef'],
    ['a line feed inside', 'abc\ndef'],
    ['a character outside Latin-1', 'tskdp_€uro'],
    ['a Latin-1 letter', 'tskdp_caf\u00e9'],
    ['a control character', 'abc\u0000def'],
  ])('with %s is exit 2 naming the variable, never printed; sync, ls and watch alike', async (_, token) => {
    w = await startCliWorld();
    for (const command of ['sync', 'ls', 'watch']) {
      const r = await runCli([command], { cwd: w.root, env: { ...w.env, TASKADE_TOKEN: token } });
      expectClearError(r, 2);
      expect(r.stderr).toContain('TASKADE_TOKEN');
      expect(r.stderr).not.toContain(token);
    }
    expect(w.sim.stats().requests).toEqual({});
  });
});
