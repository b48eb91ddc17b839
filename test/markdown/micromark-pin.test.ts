import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/**
 * micromark 4.0.3 (with micromark-core-commonmark 2.0.4) moves the exits of closed containers
 * with `EditMap.consume` (micromark-util-edit-map), which copies the whole event list of the
 * document each time list items close: one list of n items costs O(n²) (10,000 items 9 s, 20,000
 * about 28 s). 4.0.2 splices only the tail (`micromark-util-chunked`), which is linear. The
 * `overrides` in package.json pin the versions that do; this holds the lock to them, so an
 * `npm update` that brings the quadratic release back fails here and not in a user's vault.
 */
interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  overrides?: Record<string, string>;
};

/** Every copy of `name` the lock installs (hoisted or nested), with its version. */
function installed(name: string): Array<[string, string | undefined]> {
  return Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([path, entry]) => [path, entry.version]);
}

describe('the markdown parser resolves a micromark that is linear in the items of one list', () => {
  test('package.json pins micromark 4.0.2 and micromark-core-commonmark 2.0.3', () => {
    expect(pkg.overrides).toMatchObject({ micromark: '4.0.2', 'micromark-core-commonmark': '2.0.3' });
  });

  test('every micromark and micromark-core-commonmark the lock installs is the pinned version', () => {
    const micromark = installed('micromark');
    const commonmark = installed('micromark-core-commonmark');
    expect(micromark.length).toBeGreaterThan(0);
    expect(commonmark.length).toBeGreaterThan(0);
    for (const [path, version] of micromark) expect({ path, version }).toEqual({ path, version: '4.0.2' });
    for (const [path, version] of commonmark) expect({ path, version }).toEqual({ path, version: '2.0.3' });
  });

  test('nothing in the lock uses micromark-util-edit-map (the whole-list copy)', () => {
    expect(installed('micromark-util-edit-map')).toEqual([]);
    const users = Object.entries(lock.packages)
      .filter(([, entry]) => entry.dependencies?.['micromark-util-edit-map'] !== undefined)
      .map(([path]) => path);
    expect(users).toEqual([]);
  });
});
