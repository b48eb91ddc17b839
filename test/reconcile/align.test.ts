import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignWithBase, lcs } from '../../src/reconcile/index.js';
import type { TaskRecord } from '../../src/model/task.js';
import type { LocalTask } from '../../src/reconcile/index.js';
import { fcParams } from '../support/fc.js';
import { task } from '../support/records.js';

const base = (id: string, parentId: string | null, text: string): TaskRecord => task(id, parentId, { text });
/** A local item without id: `new:<line>`; `parent` is the parent's local id. */
const item = (line: number, parent: number | string | null, text: string): LocalTask => ({
  ...base(
    `new:line:${line}`,
    parent === null ? null : typeof parent === 'number' ? `new:line:${parent}` : parent,
    text,
  ),
  key: `line:${line}`,
  conflicts: [],
});
const ids = (tasks: LocalTask[]) => tasks.map((t) => [t.id, t.parentId]);

const snapshot = [
  base('A', null, 'Alpha'),
  base('A1', 'A', 'Alpha child'),
  base('B', null, 'Beta'),
  base('C', null, 'Gamma'),
];

describe('alignWithBase (ids: "none")', () => {
  it('gives unchanged items the ids of the snapshot, children under their parents', () => {
    const local = [item(1, null, 'Alpha'), item(2, 1, 'Alpha child'), item(3, null, 'Beta'), item(4, null, 'Gamma')];
    expect(ids(alignWithBase(local, snapshot))).toEqual([
      ['A', null],
      ['A1', 'A'],
      ['B', null],
      ['C', null],
    ]);
  });

  it('reads a changed text in place as an edit of the same task', () => {
    const local = [
      item(1, null, 'Alpha'),
      item(2, 1, 'Alpha child'),
      item(3, null, 'Beta, edited'),
      item(4, null, 'Gamma'),
    ];
    expect(alignWithBase(local, snapshot)[2]!.id).toBe('B');
  });

  it('leaves a removed item out and a new one new', () => {
    const local = [item(1, null, 'Alpha'), item(2, 1, 'Alpha child'), item(4, null, 'Gamma'), item(5, null, 'Delta')];
    const out = alignWithBase(local, snapshot);
    expect(out.map((t) => t.id)).toEqual(['A', 'A1', 'C', 'new:line:5']);
  });

  it('finds a moved item by its text', () => {
    const local = [item(1, null, 'Alpha'), item(4, null, 'Gamma'), item(2, 4, 'Alpha child'), item(3, null, 'Beta')];
    expect(ids(alignWithBase(local, snapshot))).toEqual([
      ['A', null],
      ['C', null],
      ['A1', 'C'],
      ['B', null],
    ]);
  });

  it('a text unchanged elsewhere wins over a place: T2 moved to the top and an add where it was is a move and an add (e2e property counterexample, seed 2047265769)', () => {
    const snap = [base('T0', null, 'T0'), base('T1', null, 'T1'), base('T2', null, 'T2')];
    const local = [item(1, null, 'T2'), item(2, null, 'T0'), item(3, null, 'T1'), item(4, null, 'Local new 0')];
    expect(alignWithBase(local, snap).map((t) => t.id)).toEqual(['T2', 'T0', 'T1', 'new:line:4']);
  });

  it('an edit in place is still an edit when the old text is nowhere else', () => {
    const snap = [base('T0', null, 'T0'), base('T1', null, 'T1'), base('T2', null, 'T2')];
    const local = [item(1, null, 'T0'), item(2, null, 'T1 edited'), item(3, null, 'T2'), item(4, null, 'New')];
    expect(alignWithBase(local, snap).map((t) => t.id)).toEqual(['T0', 'T1', 'T2', 'new:line:4']);
  });

  it('keeps duplicate texts in order', () => {
    const snap = [base('X1', null, 'same'), base('X2', null, 'same')];
    expect(alignWithBase([item(1, null, 'same'), item(2, null, 'same')], snap).map((t) => t.id)).toEqual(['X1', 'X2']);
  });

  it('with no snapshot, everything stays new', () => {
    const local = [item(1, null, 'Alpha')];
    expect(alignWithBase(local, null)).toEqual(local);
  });
});

describe('lcs', () => {
  it('is a longest common subsequence (property: as long as the brute-force DP says, and in order)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }),
        (a, b) => {
          const pairs = lcs(a, b, (x, y) => x === y);
          for (const [i, j] of pairs) expect(a[i]).toBe(b[j]);
          for (let k = 1; k < pairs.length; k++) {
            expect(pairs[k]![0]).toBeGreaterThan(pairs[k - 1]![0]);
            expect(pairs[k]![1]).toBeGreaterThan(pairs[k - 1]![1]);
          }
          const dp = (x: number, y: number): number =>
            x === a.length || y === b.length
              ? 0
              : a[x] === b[y]
                ? 1 + dp(x + 1, y + 1)
                : Math.max(dp(x + 1, y), dp(x, y + 1));
          if (a.length <= 8 && b.length <= 8) expect(pairs.length).toBe(dp(0, 0));
        },
      ),
      fcParams(),
    );
  });
});

describe('ShortIdIndex', () => {
  it('answers exactly like resolveShortId (property)', async () => {
    const { ShortIdIndex } = await import('../../src/engine/index.js');
    const { resolveShortId } = await import('../../src/markdown/index.js');
    const hex = fc.stringMatching(/^[0-9a-c]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hex, fc.constantFrom('', '-', '-x')), { maxLength: 12 }),
        fc.array(hex, { minLength: 1, maxLength: 6 }),
        (parts, queries) => {
          // The index takes the known ids as a set (a task is in the base and in the remote list).
          const ids = [...new Set(parts.map(([h, suffix]) => `${h}${suffix}`))];
          const index = new ShortIdIndex([...ids, ...ids]);
          for (const q of [...queries, ...ids.map((i) => i.replace(/[^A-Za-z0-9]/g, ''))])
            expect(index.resolve(q)).toBe(resolveShortId(q, ids));
        },
      ),
      fcParams(),
    );
  });
});

describe('ShortIdIndex regressions', () => {
  it('a task listed twice (in the base and in the remote list) still resolves (fast-check counterexample [["a","-"],["a","-"]])', async () => {
    const { ShortIdIndex } = await import('../../src/engine/index.js');
    expect(new ShortIdIndex(['a-', 'a-']).resolve('a')).toBe('a-');
    expect(new ShortIdIndex(['a-', 'a_']).resolve('a')).toBe(null); // two tasks, one compact form
  });
});

describe('crowdedIds', () => {
  it('gives the renderer the same short ids as the whole project would (property)', async () => {
    const { crowdedIds } = await import('../../src/engine/index.js');
    const { shortId } = await import('../../src/markdown/index.js');
    const id = fc.stringMatching(/^[0-9a-b]{6,12}$/);
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 30 }), (ids) => {
        const crowded = crowdedIds(ids);
        for (const x of ids) expect(shortId(x, crowded)).toBe(shortId(x, ids));
      }),
      fcParams(),
    );
  });
});
