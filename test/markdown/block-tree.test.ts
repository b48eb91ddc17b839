import fc from 'fast-check';
import type { Nodes } from 'mdast';
import { describe, expect, test } from 'vitest';
import { blockTree, type Block } from '../../src/markdown/block-tree.js';
import { wholeFileBlocks } from '../../src/markdown/remark-blocks.js';
import { flattenOutline, parseOutline, renderChanges } from '../../src/markdown/index.js';
import { MAX_LIST_DEPTH } from '../../src/markdown/parse.js';
import { fcParams } from '../support/fc.js';

const CONTAINERS = new Set(['list', 'listItem', 'blockquote', 'footnoteDefinition']);

/**
 * What the outline parser reads of a block: its type and position, a heading's depth, front
 * matter's value, and a container's children. (A task item's first paragraph starts one column
 * later in remark — the task list extension moves it past the checkbox — so leaves keep their
 * lines and their end only.)
 */
function skeleton(node: Block): unknown {
  const pos = node.position;
  if (CONTAINERS.has(node.type))
    return { type: node.type, position: pos, children: (node.children ?? []).map(skeleton) };
  const out: Record<string, unknown> = { type: node.type, start: pos?.start.line, end: pos?.end };
  if (node.type === 'heading') {
    out['depth'] = node.depth;
    out['position'] = pos;
  }
  if (node.type === 'yaml') {
    out['value'] = node.value;
    out['position'] = pos;
  }
  return out;
}

function remarkSkeleton(source: string): unknown[] {
  return wholeFileBlocks(source).map((n: Nodes) => skeleton(n as Block));
}

const LINE = fc.constantFrom(
  '- [ ] a',
  '  - [x] b',
  '    - c',
  '* d',
  '1. e',
  '2) f',
  '-',
  '- ',
  '  note',
  '',
  '   ',
  '> - [ ] quoted',
  '> > - [ ] deeper',
  '> [!note] Callout',
  '>',
  '>   - [ ] quoted child',
  'lazy text',
  '# H1',
  '## H2 ##',
  'Setext',
  '===',
  '---',
  '```',
  '~~~',
  '<!--',
  '-->',
  '<div>',
  '| a | b |',
  '| - | - |',
  '[x]: /url',
  '[^1]: footnote',
  '    indented code',
  '\t- tab item',
  '- # heading in item',
);
const FRONT = fc.constantFrom(
  '',
  '---\ntaskade:\n  project: p1\n---\n',
  '---\r\na: 1\r\n---\r\n',
  '\uFEFF---\n---\n',
  '---\n',
);
const file = fc
  .tuple(FRONT, fc.array(LINE, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([front, lines, eol, last]) => front + lines.join(eol) + (last ? eol : ''));

describe('the block tree is remark’s block structure', () => {
  test('types, positions, heading depths, front matter and container children match remark on generated files', () => {
    fc.assert(
      fc.property(file, (source) => {
        expect(blockTree(source).map(skeleton)).toEqual(remarkSkeleton(source));
      }),
      fcParams(),
    );
  });

  test.each([
    ['a loose list with blank lines and trailing blanks', '- a\n\n- b\n\n\n  c\n\n\n# H\n'],
    ['nested lists closing together', '- a\n  - b\n    - c\n- d\n'],
    [
      'items in a callout and in a quote in a callout',
      '> [!NOTE]\n>\n> - [ ] a\n>   - b\n> - [ ] c\n\n> [!NOTE]\n> >\n> > - [ ] d\n',
    ],
    ['front matter with a BOM and CRLF', '\uFEFF---\r\ntaskade:\r\n  project: p1\r\n---\r\n# T\r\n- x\r\n'],
    ['a footnote definition holding a list', '[^1]: note\n    - [ ] in footnote\n- after\n'],
  ])('%s', (_name, source) => {
    expect(blockTree(source).map(skeleton)).toEqual(remarkSkeleton(source));
  });
});

describe('deep nesting', () => {
  /** One item per level, each nested in the one before. */
  const deep = (depth: number): string =>
    Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- [ ] Level ${i}`).join('\n') + '\n';

  test(`items nested deeper than ${MAX_LIST_DEPTH} levels are kept as written, not synced, with a warning naming their lines`, () => {
    const source = deep(MAX_LIST_DEPTH + 150);
    const lines = source.split('\n');
    const outline = parseOutline(source);
    let level = outline.tasks;
    for (let i = 0; i < MAX_LIST_DEPTH; i += 1) {
      expect(level.map((t) => [t.text, t.line, t.note])).toEqual([[`Level ${i}`, i + 1, null]]);
      level = (level[0] as (typeof level)[0]).children;
    }
    expect(level).toEqual([]);
    expect(outline.diagnostics).toEqual([
      {
        line: MAX_LIST_DEPTH + 1,
        severity: 'warning',
        message: `list items nested more than ${MAX_LIST_DEPTH} levels deep are not synced; lines ${MAX_LIST_DEPTH + 1}–${MAX_LIST_DEPTH + 150} are kept as written`,
      },
    ]);
    // Nothing is lost or rewritten: no change writes the file back as it was; an id on the
    // deepest synced item touches its line only.
    expect(renderChanges(source, outline, [])).toBe(source);
    const deepest = flattenOutline(outline).at(-1);
    expect(deepest?.text).toBe(`Level ${MAX_LIST_DEPTH - 1}`);
    const written = renderChanges(source, outline, [
      { type: 'set-id', key: deepest?.key ?? '', id: 'deadbeef-0000-4000-8000-000000000000' },
    ]).split('\n');
    const changed = written.flatMap((l, i) => (l === lines[i] ? [] : [i]));
    expect(changed).toEqual([MAX_LIST_DEPTH - 1]);
    expect(written[MAX_LIST_DEPTH - 1]).toBe(`${lines[MAX_LIST_DEPTH - 1]} ^tk-deadbeef`);
  });

  test('each list walks only its own events: the events walked for a deep list grow with its event count, not beyond', () => {
    // A list nested d deep has O(d²) events (each line's prefixes); remark walks O(d³) of them.
    const walked = (depth: number): { events: number; walked: number } => {
      const stats = { events: 0, walked: 0 };
      blockTree(deep(depth), stats);
      return stats;
    };
    for (const depth of [50, 200]) {
      const s = walked(depth);
      expect(s.walked).toBeLessThanOrEqual(2 * s.events);
    }
  });
});
