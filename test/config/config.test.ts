import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findConfigFile,
  globToRegExp,
  loadConfig,
  makePathFilter,
  readToken,
  resolveConfig,
} from '../../src/config/index.js';
import { SyncError } from '../../src/model/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsync-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): SyncError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected a SyncError');
}

describe('config: discovery', () => {
  it('finds sync.config.json in the current folder or the nearest one above, like git', () => {
    writeFileSync(join(dir, 'sync.config.json'), '{}');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    expect(findConfigFile(join(dir, 'a', 'b'))).toBe(join(dir, 'sync.config.json'));
    const config = loadConfig(join(dir, 'a', 'b'), {});
    expect(config.root).toBe(dir);
    expect(config.stateDir).toBe(join(dir, '.taskade-sync'));
    expect(config.journalPath).toBe(join(dir, '.taskade-sync', 'state.db'));
  });

  it('says how to create one when there is none (CONFIG → exit 2)', () => {
    const e = errorOf(() => loadConfig(dir, {}));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('taskade-sync init');
  });

  it('names the file when it is not JSON', () => {
    writeFileSync(join(dir, 'sync.config.json'), '{ nope');
    const e = errorOf(() => loadConfig(dir, {}));
    expect(e.message).toContain(join(dir, 'sync.config.json'));
    expect(e.message).toContain('not valid JSON');
  });
});

describe('config: schema, with messages naming key, value and expectation', () => {
  it('gives every key a default, so {} is a working config', () => {
    const c = resolveConfig({}, { baseDir: dir });
    expect(c).toMatchObject({
      root: dir,
      apiUrl: 'https://www.taskade.com/api/v1',
      tokenEnv: 'TASKADE_TOKEN',
      ids: 'block',
      conflictWinner: 'remote',
      deleteGuard: { share: 0.5, min: 5 },
      requestsPerMinute: 60,
      include: ['**/*.md'],
      lockWaitMs: 30000,
      watch: { debounceMs: 300, quietMs: 3000, pollMinMs: 10000, pollMaxMs: 300000, subresourceReadsPerPoll: 20 },
    });
  });

  it('rejects a share above 1 in the documented grammar', () => {
    const e = errorOf(() =>
      resolveConfig({ deleteGuard: { share: 1.5 } }, { configPath: join(dir, 'sync.config.json') }),
    );
    expect(e.message).toBe(
      `${join(dir, 'sync.config.json')}: \`deleteGuard.share\` is 1.5, expected a number from 0 to 1`,
    );
  });

  it('names unknown keys, at any depth', () => {
    const e = errorOf(() => resolveConfig({ conflictWiner: 'local', watch: { debounce: 1 } }, { baseDir: dir }));
    expect(e.message).toContain('`conflictWiner` is not a known key');
    expect(e.message).toContain('`watch.debounce` is not a known key');
  });

  it('reports every bad key at once, with array indexes', () => {
    const e = errorOf(() =>
      resolveConfig(
        { ids: 'uuid', requestsPerMinute: 0, mappings: [{ file: 'a.md', project: 'has space' }] },
        { baseDir: dir },
      ),
    );
    expect(e.message).toContain('`ids` is "uuid", expected "block" or "none"');
    expect(e.message).toContain(
      '`requestsPerMinute` is 0, expected a whole number of requests per minute from 1 to 100000',
    );
    expect(e.message).toContain('`mappings[0].project` is "has space", expected a Taskade project id');
  });

  it('rejects a non-http apiUrl', () => {
    const e = errorOf(() => resolveConfig({ apiUrl: 'ftp://example.com' }, { baseDir: dir }));
    expect(e.message).toContain('`apiUrl` is "ftp://example.com", expected an http(s) URL');
  });
});

describe('config: rules and normalisation', () => {
  it('requires pollMinMs ≤ pollMaxMs', () => {
    const e = errorOf(() => resolveConfig({ watch: { pollMinMs: 60000, pollMaxMs: 10000 } }, { baseDir: dir }));
    expect(e.message).toContain('`watch.pollMinMs` is 60000, expected at most `watch.pollMaxMs` (10000)');
  });

  it('refuses mappings that leave the root or repeat a file or project', () => {
    expect(
      errorOf(() => resolveConfig({ mappings: [{ file: '../x.md', project: 'P1' }] }, { baseDir: dir })).message,
    ).toContain('`mappings[0].file` is "../x.md", expected a path inside `root`');
    const e = errorOf(() =>
      resolveConfig(
        {
          mappings: [
            { file: 'a.md', project: 'P1' },
            { file: './a.md', project: 'P1' },
          ],
        },
        { baseDir: dir },
      ),
    );
    expect(e.message).toContain('`mappings[1].file` is "a.md", expected a file not already mapped (mappings[0])');
    expect(e.message).toContain('`mappings[1].project` is "P1", expected a project not already mapped');
  });

  it('requires the root folder to exist', () => {
    const e = errorOf(() => resolveConfig({ root: 'missing' }, { baseDir: dir }));
    expect(e.message).toContain('`root` is "missing", expected an existing folder');
  });

  it('lets TASKADE_API_URL override apiUrl, without a trailing slash', () => {
    const c = resolveConfig(
      { apiUrl: 'https://example.com/api/v1' },
      { baseDir: dir, env: { TASKADE_API_URL: 'http://127.0.0.1:9/api/v1/' } },
    );
    expect(c.apiUrl).toBe('http://127.0.0.1:9/api/v1');
  });
});

describe('config: token', () => {
  it('reads the token from the variable tokenEnv names', () => {
    expect(readToken({ tokenEnv: 'MY_TOKEN' }, { MY_TOKEN: ' abc ' })).toBe('abc');
  });

  it('names the variable, never a value, when it is missing', () => {
    const e = errorOf(() => readToken({ tokenEnv: 'MY_TOKEN' }, { TASKADE_TOKEN: 'secret-value' }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('MY_TOKEN is not set');
    expect(e.message).not.toContain('secret-value');
  });
});

describe('config: include/exclude globs', () => {
  it('matches ** across folders, * within one, and {a,b}', () => {
    expect(globToRegExp('**/*.md').test('a.md')).toBe(true);
    expect(globToRegExp('**/*.md').test('x/y/a.md')).toBe(true);
    expect(globToRegExp('notes/*.md').test('notes/x/a.md')).toBe(false);
    expect(globToRegExp('*.{md,markdown}').test('a.markdown')).toBe(true);
    expect(globToRegExp('a?.md').test('ab.md')).toBe(true);
    expect(globToRegExp('a.md').test('aXmd')).toBe(false);
  });

  it('excludes win over includes', () => {
    const keep = makePathFilter(['**/*.md'], ['.obsidian/**', 'drafts/**']);
    expect(keep('notes/a.md')).toBe(true);
    expect(keep('drafts/a.md')).toBe(false);
    expect(keep('.obsidian/x.md')).toBe(false);
    expect(keep('notes/a.txt')).toBe(false);
  });
});

describe('sync.config.example.json', () => {
  it('is a valid config that documents every key of the schema', async () => {
    const { readFileSync } = await import('node:fs');
    const example = JSON.parse(
      readFileSync(new URL('../../sync.config.example.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const c = resolveConfig(example, { baseDir: dir });
    expect(c.ids).toBe('block');
    const documented = Object.keys(example.$comment as Record<string, string>);
    const keys: string[] = [];
    for (const [k, v] of Object.entries(example)) {
      if (k === '$comment') continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v))
        keys.push(...Object.keys(v).map((n) => `${k}.${n}`));
      else keys.push(k);
    }
    expect(keys.filter((k) => !documented.includes(k))).toEqual([]);
    // and the example holds the defaults: {} and the example resolve alike
    const { configPath: _a, ...fromExample } = c;
    const { configPath: _b, ...fromEmpty } = resolveConfig({}, { baseDir: dir });
    expect(fromExample).toEqual(fromEmpty);
  });
});
