import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Value imports (not `import type`) of each source file. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)].map((m) => m[1]!);
}

describe('what a run loads', () => {
  it('no run-time module imports remark, unified or an mdast utility (their serialisers cost ~110 modules a run)', () => {
    const offending: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file);
      if (rel === join('markdown', 'remark-blocks.ts')) continue;
      for (const spec of valueImports(file)) {
        if (/^(remark-|unified$|mdast-util-)/.test(spec) || spec.endsWith('/remark-blocks.js'))
          offending.push(`${rel}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
