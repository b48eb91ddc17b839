import { describe, expect, test } from 'vitest';
import { flattenOutline, parseOutline, renderChanges, renderNewFile } from '../../src/markdown/index.js';
import type { NewItem } from '../../src/model/local-change.js';
import type { TaskValues } from '../../src/model/task.js';
import { plainOutline } from './support/plain.js';

/** Counterexamples fast-check found (shrunk), kept as named cases. */
const blank: TaskValues = { text: '', completed: false, note: null, due: null, assignees: [] };
const task = (key: string, values: Partial<TaskValues>, children: NewItem[] = []): NewItem => ({ key, id: null, kind: 'task', values: { ...blank, ...values }, children });

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
  ])('on an item\'s first line (%s) does not take the next item as its note', (_name, source, first, second) => {
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

describe('a note that opens a block the item\'s end would close', () => {
  test.each([
    ['a backtick fence', '```', '\\```'],
    ['a tilde fence', '~~~ x', '\\~~~ x'],
    ['an HTML comment', '<!--', '\\<!--'],
    ['an HTML processing instruction', 'x\n<?', '\\<?'],
    ['a fence opened after a closed one', '```\ncode\n```\n~~~', '\\~~~'],
  ])('is written escaped before children (%s) and reads back the same (seeds -681165405, -387940298)', (_name, note, escapedLine) => {
    const file = renderNewFile({ project: 'p1', title: null, tasks: [task('a', { note }, [task('b', { text: 'child' })])] });
    expect(file.split('\n').map((l) => l.trim())).toContain(escapedLine);
    const [parent] = plainOutline(parseOutline(file));
    expect(parent?.note).toBe(note);
    expect(parent?.children.map((c) => c.text)).toEqual(['child']);
  });

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
    const out = renderChanges(source, parseOutline(source), [{ type: 'insert', parent: 'line:1', after: null, item: task('n', { text: 'new' }) }]);
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
    const out = renderChanges(source, parseOutline(source), [{ type: 'insert', parent: 'line:1', after: null, item: task('n', { text: 'new' }) }]);
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
    const out = renderChanges(source, parseOutline(source), [{ type: 'update', key: 'line:1', values: { note: '- x\nmore' } }]);
    expect(out).toBe('- [ ] <!--\n  \\- x\n  more\n- b\n');
    expect(items(out)[0]).toEqual(['<!--', '- x\nmore', null]);
  });
});
