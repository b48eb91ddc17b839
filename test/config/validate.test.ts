import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { configSchema } from '../../src/config/schema.js';
import { INVALID, type Issue } from '../../src/config/validate.js';
import { SyncError } from '../../src/model/errors.js';

function validate(text: string): { value: unknown; issues: Issue[] } {
  const issues: Issue[] = [];
  const value = configSchema(JSON.parse(text), [], issues);
  return { value, issues };
}

function messageOf(input: unknown): string {
  try {
    resolveConfig(input, { baseDir: '/', checkRoot: false });
  } catch (error) {
    if (error instanceof SyncError) return error.message;
    throw error;
  }
  throw new Error('expected a SyncError');
}

describe('config rules', () => {
  it('report `__proto__`, `constructor` and `toString` as unknown keys and never take them as values', () => {
    const { value, issues } = validate('{"__proto__":{"root":"/etc"},"constructor":1,"watch":{"toString":2}}');
    expect(value).toBe(INVALID);
    expect(issues).toEqual([
      { kind: 'unknown-keys', path: ['watch'], keys: ['toString'] },
      { kind: 'unknown-keys', path: [], keys: ['__proto__', 'constructor'] },
    ]);
    const ok = validate('{"root":"notes"}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(ok)).toBe(Object.prototype);
    expect(Object.keys(ok)).not.toContain('__proto__');
  });

  it('give each config its own copy of every default', () => {
    type Defaults = {
      include: string[];
      exclude: string[];
      watch: { debounceMs: number };
      deleteGuard: { share: number };
      mappings: unknown[];
    };
    const first = validate('{}').value as Defaults;
    const pristine = structuredClone(first);
    first.include.push('*.txt');
    first.exclude.length = 0;
    first.watch.debounceMs = 1;
    first.deleteGuard.share = 1;
    first.mappings.push({});
    const second = validate('{}').value as Defaults;
    expect(second).toEqual(pristine);
    expect(second.exclude.length).toBeGreaterThan(0);
  });

  it('say once what one value should be, even when it breaks two limits', () => {
    expect(messageOf({ watch: { subresourceReadsPerPoll: 2 ** 53 } })).toBe(
      'sync.config.json: `watch.subresourceReadsPerPoll` is 9007199254740992, expected a whole number from 0 to 10000',
    );
  });

  it('report value issues in the order keys are documented, then the unknown keys in file order', () => {
    expect(messageOf({ zeta: 1, lockWaitMs: -1, ids: 'x', alpha: 2 })).toBe(
      'sync.config.json: `ids` is "x", expected "block" or "none"; ' +
        '`lockWaitMs` is -1, expected a whole number of milliseconds from 0 to 3600000; ' +
        '`zeta` is not a known key, expected one of the keys documented in sync.config.example.json; ' +
        '`alpha` is not a known key, expected one of the keys documented in sync.config.example.json',
    );
  });

  it('name the index of a bad list item', () => {
    expect(
      messageOf({
        mappings: [
          { file: 'a.md', project: 'p1' },
          { file: 'b.md', project: '..' },
        ],
      }),
    ).toBe(
      'sync.config.json: `mappings[1].project` is "..", expected a Taskade project id (letters, digits, _ and -, at most 64)',
    );
  });

  it('read a hole in a list built in code as a missing item', () => {
    const include: string[] = new Array<string>(2);
    include[1] = '**/*.md';
    expect(messageOf({ include })).toBe(
      'sync.config.json: `include[0]` is missing, expected a list of glob patterns (strings)',
    );
  });

  it('take an http(s) URL written out with `//`, trimmed, and refuse the rest', () => {
    expect(validate('{"apiUrl":"  http://127.0.0.1:9/api/v1\\t "}').value).toMatchObject({
      apiUrl: 'http://127.0.0.1:9/api/v1',
    });
    for (const bad of ['https:example.com', 'ftp://example.com', 'example.com', 'http://', 'http://a b.com']) {
      expect(messageOf({ apiUrl: bad })).toBe(
        `sync.config.json: \`apiUrl\` is ${JSON.stringify(bad)}, expected an http(s) URL such as "https://www.taskade.com/api/v1"`,
      );
    }
  });

  it('name the top level when the file is not an object', () => {
    expect(messageOf([1])).toBe('sync.config.json: `(top level)` is [1], expected a JSON object');
    expect(messageOf(null)).toBe('sync.config.json: `(top level)` is null, expected a JSON object');
  });
});
