import { describe, expect, test } from 'vitest';
import { parseOutline, setProjectLink } from '../../src/markdown/index.js';

describe('setProjectLink', () => {
  test('a file without front matter gets a block at the top', () => {
    expect(setProjectLink('# Notes\n- [ ] a\n', 'p1')).toBe('---\ntaskade:\n  project: p1\n---\n# Notes\n- [ ] a\n');
  });

  test('a CRLF file gets CRLF front matter', () => {
    expect(setProjectLink('- [ ] a\r\n', 'p1')).toBe('---\r\ntaskade:\r\n  project: p1\r\n---\r\n- [ ] a\r\n');
  });

  test('an existing value is replaced in place, comments and other keys untouched', () => {
    const source = '---\ntitle: "Keep  me"  # a comment\ntaskade:\n  project: old123  # linked\n---\nbody\n';
    expect(setProjectLink(source, 'new456')).toBe(
      '---\ntitle: "Keep  me"  # a comment\ntaskade:\n  project: new456  # linked\n---\nbody\n',
    );
  });

  test('a taskade mapping without a project gets the key with its indentation', () => {
    const source = '---\ntaskade:\n    folder: f1\n---\n';
    expect(setProjectLink(source, 'p1')).toBe('---\ntaskade:\n    project: p1\n    folder: f1\n---\n');
  });

  test('front matter without taskade gets the block appended', () => {
    const source = '---\ntags: [a]\n---\nbody\n';
    const linked = setProjectLink(source, 'p1');
    expect(linked).toBe('---\ntags: [a]\ntaskade:\n  project: p1\n---\nbody\n');
    expect(parseOutline(linked).project).toBe('p1');
  });

  test('an all-digit id is quoted so it stays a string', () => {
    expect(parseOutline(setProjectLink('x\n', '12345')).project).toBe('12345');
  });

  test('invalid YAML is refused, not overwritten', () => {
    expect(() => setProjectLink('---\na: [\n---\n', 'p1')).toThrow(/not valid YAML/);
  });

  test('a number as project id is an error diagnostic, so the file is not synced', () => {
    const outline = parseOutline('---\ntaskade:\n  project: 12345\n---\n- [ ] a\n');
    expect(outline.project).toBeNull();
    expect(outline.diagnostics).toEqual([expect.objectContaining({ line: 3, severity: 'error' })]);
  });
});
