import { describe, expect, it } from 'vitest';
import { parseProjectMarkdown } from '../../src/simulator/markdown-outline.js';

describe('projects created from markdown', () => {
  it('takes the first `# ` heading as the name and ignores everything that is not a bullet', () => {
    const parsed = parseProjectMarkdown(
      'Intro\n# First title\n\n# Second title\n## Section\nparagraph\n---\n**bold line**\n- task',
    );
    expect(parsed).toEqual({ name: 'First title', tasks: [{ text: 'task' }] });
  });

  it('names a project without a heading "Untitled"', () => {
    expect(parseProjectMarkdown('- a').name).toBe('Untitled');
    expect(parseProjectMarkdown('').tasks).toEqual([]);
  });

  it('nests by indentation, whatever the step (2 spaces, 4 spaces, tabs)', () => {
    const parsed = parseProjectMarkdown(
      ['- a', '    - a1', '        - a11', '    - a2', '- b', '\t- b1', '  - b2'].join('\n'),
    );
    expect(parsed.tasks).toEqual([
      { text: 'a', children: [{ text: 'a1', children: [{ text: 'a11' }] }, { text: 'a2' }] },
      { text: 'b', children: [{ text: 'b1' }, { text: 'b2' }] },
    ]);
  });

  it('reads [ ] and [x] as completion, and keeps the rest of the line verbatim', () => {
    const parsed = parseProjectMarkdown(
      '- [ ] open *em* 📅 2026-01-01\n* [x] done\n+ [X] done too\n- [y] not a box\n-\n- [ ]',
    );
    expect(parsed.tasks).toEqual([
      { text: 'open *em* 📅 2026-01-01', completed: false },
      { text: 'done', completed: true },
      { text: 'done too', completed: true },
      { text: '[y] not a box' },
      { text: '' },
      { text: '', completed: false },
    ]);
  });

  it('accepts CRLF line ends', () => {
    expect(parseProjectMarkdown('# T\r\n- a\r\n  - b\r\n').tasks).toEqual([{ text: 'a', children: [{ text: 'b' }] }]);
  });
});
