import { describe, expect, test } from 'vitest';
import { flattenOutline, parseOutline, renderChanges, renderNewFile } from '../../src/markdown/index.js';
import type { LocalChange, NewItem } from '../../src/model/local-change.js';
import type { TaskValues } from '../../src/model/task.js';
import { plainOutline } from './support/plain.js';

/** Counterexamples fast-check found (shrunk), kept as named cases. */
const blank: TaskValues = { text: '', completed: false, note: null, due: null, assignees: [] };
const task = (key: string, values: Partial<TaskValues>, children: NewItem[] = []): NewItem => ({
  key,
  id: null,
  kind: 'task',
  values: { ...blank, ...values },
  children,
});

describe('regressions found by the properties', () => {
  test('a note line that starts an HTML block does not swallow the children (seed 1435934020)', () => {
    const file = renderNewFile({ project: 'p1', title: null, tasks: [task('a', { note: '\n<br>' }, [task('b', {})])] });
    expect(file).toContain('  <br>\n\n  - [ ]');
    const [parent] = plainOutline(parseOutline(file));
    expect(parent?.note).toBe('\n<br>');
    expect(parent?.children).toHaveLength(1);
  });

  test('an item inserted into an ordered list nests its children under the wider content column (seed 1895571301)', () => {
    const source = '## \n1. [ ]\n';
    const out = renderChanges(source, parseOutline(source), [
      { type: 'insert', parent: 'line:1', after: null, item: task('n', {}, [task('m', {})]) },
    ]);
    expect(out).toBe('## \n1. [ ]\n   - [ ]\n1. [ ]\n');
    const [section] = parseOutline(out).tasks;
    expect(section?.children.map((c) => c.children.length)).toEqual([1, 0]);
  });

  test('a moved item keeps its note when its marker changes width (seed 1114049627)', () => {
    const source = '## S\n1. [ ] moved\n   \\\\- escaped\n   1. [ ] child\n';
    const before = parseOutline(source);
    const out = renderChanges(source, before, [{ type: 'move', key: 'line:2', parent: null, after: null }]);
    const [moved] = parseOutline(out).tasks;
    expect(moved?.text).toBe('moved');
    expect(moved?.note).toBe('\\- escaped');
    expect(moved?.children.map((c) => c.text)).toEqual(['child']);
  });
});

/** Text, note and parent of every item, in document order. */
const items = (source: string): Array<[string, string | null, string | null]> =>
  flattenOutline(parseOutline(source)).map((n) => [n.text, n.note, n.parentKey]);

describe('a fence or an HTML block that the end of its item closes', () => {
  // micromark ends such an item after the next item's marker (`- ```\n- b`: item 1 ends at 2:3).
  test.each([
    ['a backtick fence', '- ```\n- # heading in an item\n', '```', '# heading in an item'],
    ['a tilde fence', '- ~~~\n- b\n', '~~~', 'b'],
    ['a fence with an info string', '- ```js\n- b\n', '```js', 'b'],
    ['an ordered item', '1. ```\n2. b\n', '```', 'b'],
    ['an HTML comment', '- <!--\n- b\n', '<!--', 'b'],
    ['an HTML <pre> block', '- <pre>\n- b\n', '<pre>', 'b'],
    ['an HTML <div> block', '- <div>\n- b\n', '<div>', 'b'],
    ['CRLF', '- ```\r\n- b\r\n', '```', 'b'],
    ['a blank line between', '- ```\n\n- b\n', '```', 'b'],
  ])("on an item's first line (%s) does not take the next item as its note", (_name, source, first, second) => {
    expect(items(source)).toEqual([
      [first, null, null],
      [second, null, null],
    ]);
    expect(renderChanges(source, parseOutline(source), [])).toBe(source);
  });

  test('in a nested item does not stretch its parent over the next top-level item', () => {
    const source = '- a\n  - ```\n- b\n';
    expect(items(source)).toEqual([
      ['a', null, null],
      ['```', null, 'line:1'],
      ['b', null, null],
    ]);
    expect(renderChanges(source, parseOutline(source), [])).toBe(source);
  });

  test('in the last item of a list does not take in the list after it (seed 1462205270)', () => {
    const source = '- [ ]\n   1. [ ]\n      ```\n   - [ ]\n   - [ ]\n- [ ]\n';
    expect(items(source)).toEqual([
      ['', null, null],
      ['', '```', 'line:1'],
      ['', null, 'line:1'],
      ['', null, 'line:1'],
      ['', null, null],
    ]);
    expect(renderChanges(source, parseOutline(source), [])).toBe(source);
  });

  test('in a note takes in the lines after it, as remark reads them', () => {
    // Not a child: remark reads `- b` as code.
    expect(items('- a\n  ```\n  - b\n- c\n')).toEqual([
      ['a', '```\n- b', null],
      ['c', null, null],
    ]);
  });
});

describe("a note that opens a block the item's end would close", () => {
  test.each([
    ['a backtick fence', '```', '\\```'],
    ['a tilde fence', '~~~ x', '\\~~~ x'],
    ['an HTML comment', '<!--', '\\<!--'],
    ['an HTML processing instruction', 'x\n<?', '\\<?'],
    ['a fence opened after a closed one', '```\ncode\n```\n~~~', '\\~~~'],
  ])(
    'is written escaped before children (%s) and reads back the same (seeds -681165405, -387940298)',
    (_name, note, escapedLine) => {
      const file = renderNewFile({
        project: 'p1',
        title: null,
        tasks: [task('a', { note }, [task('b', { text: 'child' })])],
      });
      expect(file.split('\n').map((l) => l.trim())).toContain(escapedLine);
      const [parent] = plainOutline(parseOutline(file));
      expect(parent?.note).toBe(note);
      expect(parent?.children.map((c) => c.text)).toEqual(['child']);
    },
  );

  test('that closes it is written as it is', () => {
    const note = '```\n- x\n```';
    const file = renderNewFile({ project: 'p1', title: null, tasks: [task('a', { note }, [task('b', {})])] });
    expect(file).toContain('  ```\n  \\- x\n  ```\n  - [ ]');
    expect(plainOutline(parseOutline(file))[0]?.note).toBe(note);
  });

  test('without children is written as it is', () => {
    const file = renderNewFile({ project: 'p1', title: null, tasks: [task('a', { text: 'a', note: '```' })] });
    expect(file).toContain('- [ ] a\n  ```\n');
  });

  test('already escaped gets one backslash more, so it reads back with one', () => {
    const note = '\\```\n\\\\<!--';
    const file = renderNewFile({ project: 'p1', title: null, tasks: [task('a', { note }, [task('b', {})])] });
    expect(file).toContain('  \\\\```\n  \\\\\\<!--\n');
    expect(plainOutline(parseOutline(file))[0]?.note).toBe(note);
  });

  test('kept in the file is rewritten escaped when a child is inserted under it (seed 544766019)', () => {
    const source = '- a\n  ```\n  - b\n- c\n';
    const out = renderChanges(source, parseOutline(source), [
      { type: 'insert', parent: 'line:1', after: null, item: task('n', { text: 'new' }) },
    ]);
    expect(out).toBe('- a\n  \\```\n  \\- b\n  - [ ] new\n- c\n');
    expect(items(out)).toEqual([
      ['a', '```\n- b', null],
      ['new', null, 'line:1'],
      ['c', null, null],
    ]);
  });

  test('kept in the file stays as it is when nothing is placed after it', () => {
    const source = '- a\n  ```\n- c\n';
    const out = renderChanges(source, parseOutline(source), [{ type: 'update', key: 'line:3', values: { text: 'd' } }]);
    expect(out).toBe('- a\n  ```\n- d\n');
  });
});

describe('a plain bullet whose text opens a fence or an HTML block', () => {
  test('gets a checkbox when a child is inserted under it, which then stays a child', () => {
    const source = '- ```\n- b\n';
    const out = renderChanges(source, parseOutline(source), [
      { type: 'insert', parent: 'line:1', after: null, item: task('n', { text: 'new' }) },
    ]);
    expect(out).toBe('- [ ] ```\n  - [ ] new\n- b\n');
    expect(items(out)).toEqual([
      ['```', null, null],
      ['new', null, 'line:1'],
      ['b', null, null],
    ]);
  });

  test('gets a checkbox when it is given a note, and its earlier note is written again as text', () => {
    const source = '- <!--\n  - x\n- b\n';
    expect(items(source)[0]).toEqual(['<!--', '- x', null]);
    const out = renderChanges(source, parseOutline(source), [
      { type: 'update', key: 'line:1', values: { note: '- x\nmore' } },
    ]);
    expect(out).toBe('- [ ] <!--\n  \\- x\n  more\n- b\n');
    expect(items(out)[0]).toEqual(['<!--', '- x\nmore', null]);
  });
});

describe('an item that cannot interrupt a paragraph (ordered and not numbered 1, or empty)', () => {
  // CommonMark: `note\n2. b` is one paragraph; a blank line before the item keeps it an item.
  test.each<[string, string, LocalChange[], string, Array<[string, string | null, string | null]>]>([
    [
      'the ordered child before it is removed',
      '- a\n  note\n  1. first\n  2. second\n',
      [{ type: 'remove', key: 'line:3' }],
      '- a\n  note\n\n  2. second\n',
      [
        ['a', 'note', null],
        ['second', null, 'line:1'],
      ],
    ],
    [
      'the ordered child before it moves away',
      '- a\n  note\n  1. first\n  2. second\n- c\n',
      [{ type: 'move', key: 'line:3', parent: 'line:5', after: null }],
      '- a\n  note\n\n  2. second\n- c\n  1. first\n',
      [
        ['a', 'note', null],
        ['second', null, 'line:1'],
        ['c', null, null],
        ['first', null, 'line:5'],
      ],
    ],
    [
      // Issue 10: it starts its new list at 1 (it kept `2.` and needed a blank line before it).
      'it moves to be the first child under a note',
      '- a\n  note\n- b\n  1. x\n  2. y\n',
      [{ type: 'move', key: 'line:5', parent: 'line:1', after: null }],
      '- a\n  note\n  1. y\n- b\n  1. x\n',
      [
        ['a', 'note', null],
        ['y', null, 'line:1'],
        ['b', null, null],
        ['x', null, 'line:4'],
      ],
    ],
    [
      'it is inserted first and numbered like the sibling it follows',
      '- a\n  note\n  1. first\n  2. second\n',
      [
        { type: 'remove', key: 'line:3' },
        { type: 'insert', parent: 'line:1', after: null, item: task('n', { text: 'new' }) },
      ],
      '- a\n  note\n\n  2. [ ] new\n  2. second\n',
      [
        ['a', 'note', null],
        ['new', null, 'line:1'],
        ['second', null, 'line:1'],
      ],
    ],
    [
      'the item above it is given a note',
      '-\n  2. b\n',
      [{ type: 'update', key: 'line:1', values: { note: 'n' } }],
      '-\n  n\n\n  2. b\n',
      [
        ['', 'n', null],
        ['b', null, 'line:1'],
      ],
    ],
    [
      'the empty item above it is given text',
      '-\n  2. b\n',
      [{ type: 'update', key: 'line:1', values: { text: 'x' } }],
      '- x\n\n  2. b\n',
      [
        ['x', null, null],
        ['b', null, 'line:1'],
      ],
    ],
    [
      "it is left right after its parent's first line",
      '- a\n  1. first\n  2. second\n',
      [{ type: 'remove', key: 'line:2' }],
      '- a\n\n  2. second\n',
      [
        ['a', null, null],
        ['second', null, 'line:1'],
      ],
    ],
    [
      'it is left right after a paragraph under a heading',
      '## S\n\npara\n1. a\n2. b\n',
      [{ type: 'remove', key: 'line:4' }],
      '## S\n\npara\n\n2. b\n',
      [
        ['S', null, null],
        ['b', null, 'line:1'],
      ],
    ],
    [
      'an empty item is left right after a note (it would underline it as a heading)',
      '- a\n  note\n  - x\n  -\n',
      [{ type: 'remove', key: 'line:3' }],
      '- a\n  note\n\n  -\n',
      [
        ['a', 'note', null],
        ['', null, 'line:1'],
      ],
    ],
  ])('stays an item when %s', (_name, source, changes, expected, outline) => {
    const out = renderChanges(source, parseOutline(source), changes);
    expect(out).toBe(expected);
    expect(items(out)).toEqual(outline);
  });

  test('stays a child when the first child of an ordered list is removed (seed 2108642987)', () => {
    const source = '### \n1. [ ]\n2. [ ]\n   1. [ ]\n   2. [ ]\n';
    const out = renderChanges(source, parseOutline(source), [{ type: 'remove', key: 'line:4' }]);
    expect(out).toBe('### \n1. [ ]\n2. [ ]\n\n   2. [ ]\n');
    expect(items(out)).toEqual([
      ['', null, null],
      ['', null, 'line:1'],
      ['', null, 'line:1'],
      ['', null, 'line:3'],
    ]);
  });

  test('gets no blank line right after a heading, an empty first line or a sibling, nor where the file had it', () => {
    const cases: Array<[string, LocalChange[], string]> = [
      ['## S\n1. a\n2. b\n', [{ type: 'remove', key: 'line:2' }], '## S\n2. b\n'],
      ['-\n  1. a\n  2. b\n', [{ type: 'remove', key: 'line:2' }], '-\n  2. b\n'],
      [
        '- a\n  note\n  1. first\n  2. second\n',
        [{ type: 'update', key: 'line:4', values: { text: 'b' } }],
        '- a\n  note\n  1. first\n  2. b\n',
      ],
      [
        '- a\n  note\n  1. first\n  2. second\n  3. third\n',
        [{ type: 'remove', key: 'line:4' }],
        '- a\n  note\n  1. first\n  3. third\n',
      ],
    ];
    for (const [source, changes, expected] of cases)
      expect(renderChanges(source, parseOutline(source), changes)).toBe(expected);
  });
});
