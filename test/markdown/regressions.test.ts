import { describe, expect, test } from 'vitest';
import { parseOutline, renderChanges, renderNewFile } from '../../src/markdown/index.js';
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
