import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/index.js';
import { isNativeLoadError, setDatabaseOpener } from '../../src/journal/native.js';
import { SyncError } from '../../src/model/errors.js';
import { EXIT } from '../../src/model/exit-codes.js';
import { runCli } from '../support/cli.js';

let dir: string | null = null;
afterEach(() => {
  setDatabaseOpener(null);
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** What the `bindings` package throws when `build/Release/better_sqlite3.node` was never compiled. */
const BINDINGS_MESSAGE =
  'Could not locate the bindings file. Tried:\n → /usr/lib/node_modules/taskade-sync/node_modules/better-sqlite3/build/better_sqlite3.node';

describe('a better-sqlite3 native module that cannot be loaded', () => {
  it('every engine command exits 2 with the fix, not "Could not locate the bindings file" alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-native-'));
    writeFileSync(join(dir, 'sync.config.json'), JSON.stringify({ requestsPerMinute: 60 }));
    Journal.open(join(dir, '.taskade-sync', 'state.db')).close(); // so that status reads it
    setDatabaseOpener(() => {
      throw new Error(BINDINGS_MESSAGE);
    });
    for (const argv of [['status'], ['sync']]) {
      const r = await runCli(argv, { cwd: dir, env: { TASKADE_TOKEN: 't' } });
      expect(r.code).toBe(EXIT.USAGE);
      expect(r.stderr).toContain('the SQLite module better-sqlite3 is not built for this Node.js');
      expect(r.stderr).toContain('(Could not locate the bindings file. Tried:);');
      expect(r.stderr).toMatch(/Fix: cd '\/[^']+' && npm rebuild better-sqlite3/);
      expect(r.stderr).toContain('--allow-scripts=better-sqlite3');
      expect(r.stderr).not.toContain('move it aside'); // the file is not at fault
    }
  });

  it('a real failed load (a binding path that does not exist) is recognised, in memory too', () => {
    setDatabaseOpener((file) => new Database(file, { nativeBinding: '/nonexistent/build/better_sqlite3.node' }));
    expect(() => Journal.openInMemory()).toThrow(SyncError);
    try {
      Journal.openInMemory();
    } catch (error) {
      expect((error as SyncError).code).toBe('CONFIG');
      expect((error as SyncError).data).toMatchObject({ module: 'better-sqlite3', node: process.version });
    }
  });

  it('other open errors keep their own message (a file that is not a database)', () => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-native-'));
    const path = join(dir, 'state.db');
    writeFileSync(path, 'not sqlite at all, long enough to be read as a header '.repeat(4));
    expect(() => Journal.open(path)).toThrow(/cannot open the state database.*move it aside/);
    expect(isNativeLoadError(new Error('SQLITE_NOTADB: file is not a database'))).toBe(false);
    expect(isNativeLoadError(Object.assign(new Error('x'), { code: 'ERR_DLOPEN_FAILED' }))).toBe(true);
  });
});
