import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/cli/unified-diff.js';
import { fcParams } from '../support/fc.js';

/** Applies a unified diff the way patch(1) reads one (strict: every context line must match). */
function applyUnified(before: string, diff: string): string {
  const src = before === '' ? [] : (before.endsWith('\n') ? before.slice(0, -1) : before).split('\n');
  const out: string[] = [];
  // Whether the last line put out ends without a line break.
  let lastOpen = false;
  let pos = 0;
  let lastKind = '';
  const copy = (until: number): void => {
    while (pos < until) {
      out.push(src[pos++]!);
      lastOpen = pos === src.length && !before.endsWith('\n');
    }
  };
  for (const line of diff.split('\n').slice(2, -1)) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (header) {
      copy(Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1);
      continue;
    }
    if (line === '\\ No newline at end of file') {
      if (lastKind !== '-') lastOpen = true;
      continue;
    }
    const kind = line[0]!;
    lastKind = kind;
    if (kind === ' ' || kind === '-') {
      expect(src[pos]).toBe(line.slice(1));
      pos += 1;
    }
    if (kind === ' ' || kind === '+') {
      out.push(line.slice(1));
      lastOpen = false;
    }
  }
  copy(src.length);
  return out.length === 0 ? '' : out.join('\n') + (lastOpen ? '' : '\n');
}

function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const v = a[i] === b[j] ? go(i + 1, j + 1) + 1 : Math.max(go(i + 1, j), go(i, j + 1));
    memo.set(key, v);
    return v;
  };
  return go(0, 0);
}

const text = fc
  .tuple(fc.array(fc.constantFrom('- [ ] a', '- [x] a', 'b', '', 'c ^tk-1'), { maxLength: 12 }), fc.boolean())
  .map(([lines, nl]) => (lines.length === 0 ? '' : lines.join('\n') + (nl ? '\n' : '')));

describe('unifiedDiff', () => {
  it('applied to the old text, gives the new one (any two texts, with or without a final line break)', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, { from: 'a', to: 'b' });
        expect(d === '').toBe(a === b);
        expect(applyUnified(a, d)).toBe(b);
      }),
      fcParams(),
    );
  });

  it('changes as few lines as can be (removed + added = n + m − 2·LCS)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 14 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const changed = diffLines(a, b).filter((op) => op.kind !== ' ').length;
        expect(changed).toBe(a.length + b.length - 2 * lcsLength(a, b));
      }),
      fcParams(),
    );
  });

  it('is read by patch(1): the output applies and gives the new text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsync-diff-'));
    try {
      const before = ['# Plan', '', ...Array.from({ length: 20 }, (_, i) => `- [ ] task ${i}`)].join('\n') + '\n';
      const after = before
        .replace('- [ ] task 2\n', '- [x] task 2\n')
        .replace('- [ ] task 15\n', '- [ ] task 15\n  - [ ] new child\n')
        .replace(/- \[ \] task 19\n$/, '- [ ] task 19 renamed');
      writeFileSync(join(dir, 'p.md'), before);
      const diff = unifiedDiff(before, after, { from: 'a/p.md', to: 'b/p.md' });
      expect(diff).toContain('@@ -2,7 +2,7 @@');
      expect(diff).toContain('\\ No newline at end of file');
      const r = spawnSync('patch', ['-s', join(dir, 'p.md')], { input: diff, encoding: 'utf8' });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(readFileSync(join(dir, 'p.md'), 'utf8')).toBe(after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a change far past the size the table allows is still a correct diff (whole middle replaced)', () => {
    const a = Array.from({ length: 2100 }, (_, i) => `a${i}`).join('\n') + '\n';
    const b = Array.from({ length: 2100 }, (_, i) => `b${i}`).join('\n') + '\n';
    expect(applyUnified(a, unifiedDiff(a, b, { from: 'a', to: 'b' }))).toBe(b);
  });
});
