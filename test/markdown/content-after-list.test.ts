import { describe, expect, test } from 'vitest';
import { flattenOutline, parseOutline, renderChanges } from '../../src/markdown/index.js';
import type { Outline, OutlineNode } from '../../src/markdown/types.js';

/**
 * An item's content after its first nested list: not its note (the note is what comes before the
 * first nested list), not synced, kept as written in the item's lines (README, "Content after a
 * nested list").
 */
const SOURCE = [
  '- [ ] a',
  '  note of a',
  '  - [ ] child',
  '',
  '  Paragraph after the child list.',
  '  - [ ] second child list',
  '',
  '  ```',
  '  code after it',
  '  ```',
  '- [ ] b',
  '',
].join('\n');

const byText = (outline: Outline, text: string): OutlineNode => {
  const node = flattenOutline(outline).find((n) => n.text === text);
  if (node === undefined) throw new Error(`no task ${text}`);
  return node;
};

describe("an item's content after its first nested list", () => {
  test('is not the note; the items around it are read as usual; a warning names its lines', () => {
    const outline = parseOutline(SOURCE);
    const a = byText(outline, 'a');
    expect(a.note).toBe('note of a');
    expect(a.children.map((c) => [c.text, c.note])).toEqual([
      ['child', null],
      ['second child list', null],
    ]);
    expect(outline.tasks.map((t) => t.text)).toEqual(['a', 'b']);
    expect(outline.diagnostics).toEqual([
      {
        line: 5,
        severity: 'warning',
        message:
          "content after this item's first nested list (lines 5–10) is not its note and is not synced; it is kept as written and moves with the item",
      },
    ]);
  });

  test('a note edited in Taskade rewrites only the note before the list; the content after it stays', () => {
    const outline = parseOutline(SOURCE);
    const out = renderChanges(SOURCE, outline, [
      { type: 'update', key: byText(outline, 'a').key, values: { note: 'new note\nover two lines' } },
    ]);
    expect(out).toBe(SOURCE.replace('  note of a\n', '  new note\n  over two lines\n'));
    expect(byText(parseOutline(out), 'a').note).toBe('new note\nover two lines');
  });

  test('removing a child keeps it; a set-id touches the first line only; no change is byte for byte', () => {
    const outline = parseOutline(SOURCE);
    expect(renderChanges(SOURCE, outline, [])).toBe(SOURCE);
    const withoutChild = renderChanges(SOURCE, outline, [{ type: 'remove', key: byText(outline, 'child').key }]);
    expect(withoutChild).toBe(SOURCE.replace('  - [ ] child\n', ''));
    const withId = renderChanges(SOURCE, outline, [
      { type: 'set-id', key: byText(outline, 'a').key, id: 'abcdef12-3456' },
    ]);
    expect(withId).toBe(SOURCE.replace('- [ ] a\n  note of a\n', '- [ ] a\n  note of a ^tk-abcdef12\n'));
  });

  test('it moves with its item', () => {
    const outline = parseOutline(SOURCE);
    const out = renderChanges(SOURCE, outline, [
      { type: 'move', key: byText(outline, 'a').key, parent: null, after: byText(outline, 'b').key },
    ]);
    const lines = SOURCE.split('\n');
    expect(out).toBe([lines[10], ...lines.slice(0, 10), ''].join('\n'));
    expect(parseOutline(out).diagnostics.map((d) => d.line)).toEqual([6]);
  });

  test('a line right after a child, without a blank line, continues the child (CommonMark lazy line): its note', () => {
    const source = '- [ ] a\n  - [ ] child\n  more text\n';
    const outline = parseOutline(source);
    expect(byText(outline, 'child').note).toBe('more text');
    expect(outline.diagnostics).toEqual([]);
  });
});
