import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseOutline, renderChanges, renderNewFile, shortId, flattenOutline } from '../../src/markdown/index.js';
import { sourceOf } from '../../src/markdown/source-map.js';
import type { NewItem } from '../../src/model/local-change.js';
import { fcParams } from '../support/fc.js';
import { allIds, projectItems } from './support/arbitraries.js';
import { changeSeed, planChanges } from './support/change-lists.js';
import { plainOutline, type Plain } from './support/plain.js';
import { refFromOutline, refToPlain } from './support/reference.js';
import { styledFile, type FileStyle } from './support/styled-file.js';

/** Markdown-shaped noise: every construct the parser branches on, in any order, plus any unicode. */
const markdownish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '- ',
        '* ',
        '+ ',
        '1. ',
        '2) ',
        '[ ] ',
        '[x] ',
        '[X] ',
        '\n',
        '\r\n',
        '\r',
        '\t',
        '  ',
        '    ',
        '# ',
        '## ',
        '### ',
        '```\n',
        '~~~',
        '```js\n',
        '- ```\n',
        '<!--\n',
        '-->',
        '<pre>\n',
        '<?',
        '> ',
        '> [!note]\n',
        '---\n',
        '===\n',
        '| a | b |\n|---|---|\n',
        '<div>\n',
        '%%',
        '📅 2026-01-01',
        '📅 2026-02-30',
        '⏰ 10:00 UTC',
        '@bob',
        '^tk-abc12345',
        '^tk-abc12345\n- x ^tk-abc12345',
        '%%conflict text: "x"%%',
        '%%conflict due: {"date":"2026-01-01","time":null,"timezone":null}%%',
        '==⚠ conflict text: "x"==',
        '==⚠ conflict due: 2026-01-01 10:00==',
        '==⚠ conflict assignees: @bob==',
        '⏫',
        '#tag',
        '\\',
        '😀',
        '𝄞',
        '\u0000',
        '\uFEFF',
        'taskade:\n  project: p1\n',
        'x'.repeat(2100),
      ),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const style: fc.Arbitrary<FileStyle> = fc.record({
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  unit: fc.constantFrom('  ' as const, '    ' as const, '\t' as const),
  marker: fc.constantFrom('-' as const, '*' as const, '+' as const, '1.' as const),
  start: fc.constantFrom(1 as const, 2 as const),
  noise: fc.boolean(),
  bareEnd: fc.boolean(),
});

/** `sectionIds`: the file's headings carry ids (as older versions wrote them); new files have none. */
function expectedPlain(items: NewItem[], ids: string[], sectionIds = true): Plain[] {
  const visit = (i: NewItem): Plain => ({
    kind: i.kind,
    id: i.id === null || (i.kind === 'section' && !sectionIds) ? null : shortId(i.id, ids),
    ...i.values,
    conflicts: [],
    children: i.children.map(visit),
  });
  return items.map(visit);
}

/**
 * A run parses a file of up to a few dozen items (a few ms in micromark): with `FC_NUM_RUNS` raised
 * for a soak, the time limit grows with the runs instead of cutting the soak short.
 */
const soakTimeout = Math.max(30_000, fcParams().numRuns * 60);

describe('parseOutline on any input', () => {
  test(
    'never throws and never hits its internal-error safety net',
    () => {
      fc.assert(
        fc.property(fc.oneof(markdownish, fc.string({ unit: 'binary' })), (source) => {
          const outline = parseOutline(source);
          expect(outline.diagnostics.filter((d) => d.message.startsWith('internal'))).toEqual([]);
        }),
        fcParams(),
      );
    },
    soakTimeout,
  );

  test(
    'rendering no changes gives the file back byte for byte',
    () => {
      fc.assert(
        fc.property(markdownish, (source) => {
          expect(renderChanges(source, parseOutline(source), [])).toBe(source);
        }),
        fcParams(),
      );
    },
    soakTimeout,
  );
});

describe('round trips', () => {
  test(
    'parse(renderNewFile(o)) gives back the outline o',
    () => {
      fc.assert(
        fc.property(projectItems, (items) => {
          const ids = allIds(items);
          const outline = parseOutline(renderNewFile({ project: 'p1', title: 'T', tasks: items }));
          expect(outline.diagnostics).toEqual([]);
          expect(outline.project).toBe('p1');
          expect(plainOutline(outline)).toEqual(expectedPlain(items, ids, false));
        }),
        fcParams(),
      );
    },
    soakTimeout,
  );

  test(
    'a styled file (CRLF, tabs, 4 spaces, other markers, noise) parses to its outline',
    () => {
      fc.assert(
        fc.property(projectItems, style, (items, st) => {
          const ids = allIds(items);
          const outline = parseOutline(styledFile('p1', items, st, ids));
          expect(plainOutline(outline)).toEqual(expectedPlain(items, ids));
        }),
        fcParams(),
      );
    },
    soakTimeout,
  );

  test(
    'a change list gives the intended outline and leaves every other line alone',
    () => {
      fc.assert(
        fc.property(projectItems, style, fc.array(changeSeed, { maxLength: 6 }), (items, st, seeds) => {
          const ids = allIds(items);
          const source = styledFile('p1', items, st, ids);
          const outline = parseOutline(source);
          const tree = refFromOutline(outline.tasks);
          const changes = planChanges(tree, seeds, ids);
          const output = renderChanges(source, outline, changes, { projectIds: ids });
          const reparsed = parseOutline(output);
          expect(reparsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(plainOutline(reparsed)).toEqual(refToPlain(tree));
          expect(untouchedLinesKept(source, outline, changes, output)).toBe(true);
        }),
        fcParams(),
      );
    },
    soakTimeout,
  );
});

/**
 * Every non-blank line outside the items a change names (an update's first line and note, a
 * removed or moved item's whole span) appears in the output, in the same order. One rewrite is
 * allowed: an item whose note (or plain first line) opens a code fence or an HTML block that its
 * end closed gets that line escaped (or a checkbox) when a child is moved or inserted under it,
 * or the block would take the child in; so lines are compared without those.
 */
function untouchedLinesKept(
  source: string,
  outline: ReturnType<typeof parseOutline>,
  changes: ReturnType<typeof planChanges>,
  output: string,
): boolean {
  const parsed = sourceOf(outline);
  if (!parsed) return false;
  const touched = new Set<number>();
  const keys = new Set(flattenOutline(outline).map((n) => n.key));
  for (const c of changes) {
    if (c.type === 'insert') continue;
    if (!keys.has(c.key)) continue;
    const src = parsed.nodes.get(c.key);
    if (!src) continue;
    const end = c.type === 'remove' || c.type === 'move' ? src.end : src.headEnd;
    for (let i = src.start; i < end; i += 1) touched.add(i);
  }
  const kept = parsed.lines
    .filter((l, i) => !touched.has(i) && l.text.trim() !== '')
    .map((l) => withoutBlockEscape(l.text));
  const out = output.split(/\r\n|\r|\n/).map(withoutBlockEscape);
  let j = 0;
  for (const line of kept) {
    while (j < out.length && out[j] !== line) j += 1;
    if (j >= out.length) return false;
    j += 1;
  }
  return true;
}

/** A line without the escape or checkbox the renderer may add to keep a block from taking in a new child (see above). */
function withoutBlockEscape(line: string): string {
  return line
    .replace(/^([ \t]*)\\+(?=`{3}|~{3}|<)/, '$1')
    .replace(/^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[ \] (?=`{3}|~{3}|<)/, '$1');
}
