import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseOutline, renderChanges } from '../../src/markdown/index.js';
import type { LocalChange } from '../../src/model/local-change.js';
import { normaliseNote } from '../../src/model/task.js';
import { fcParams } from '../support/fc.js';

/** Renders `changes` against a one-item file and gives back the item's line. */
function renderLine(line: string, change: (key: string) => LocalChange): string {
  const source = line + '\n';
  const outline = parseOutline(source);
  const key = outline.tasks[0]?.key ?? 'missing';
  return renderChanges(source, outline, [change(key)]).replace(/\n$/, '');
}
const setId = (key: string): LocalChange => ({ type: 'set-id', key, id: 'abcdef123456' });

describe('a block id is appended; every other byte of the line stays as written', () => {
  test.each([
    ['a link', '- [Docs](https://example.com/docs)'],
    ['a wiki link', '- [[Link]]'],
    ['bold', '- **Bold** words'],
    ['code', '- `code` sample'],
    ['a tag', '- #tag'],
    ['a version', '- 7.18.0: release'],
    ['an escaped tag', '- It was pull request \\#3121:'],
    ['obsidian-tasks fields after the date', '- [x] #task do 🔁 every month 📅 2022-03-25 ✅ 2022-10-03'],
    ['trailing white space', '  - Event Reason: '],
    ['a custom status', '- [/] #task half done'],
  ])('%s', (_name, line) => {
    const out = renderLine(line, setId);
    expect(out.startsWith(line)).toBe(true);
    expect(out.slice(line.length)).toMatch(/^ ?\^tk-abcdef12$/);
  });

  test('an id already there is replaced in its place', () => {
    expect(renderLine('- a ^tk-old12345  ', setId)).toBe('- a ^tk-abcdef12  ');
  });
});

describe('custom statuses (obsidian-tasks status types)', () => {
  test('done and cancelled read as completed; todo, in progress and others as open', () => {
    const source = ['- [x] a', '- [X] b', '- [-] c', '- [ ] d', '- [/] e', '- [>] f', '- [?] g'].join('\n') + '\n';
    expect(parseOutline(source).tasks.map((t) => [t.text, t.completed])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', false],
      ['e', false],
      ['f', false],
      ['g', false],
    ]);
  });

  test('the symbol is kept while the completion agrees, and replaced only when it changes', () => {
    const update = (completed: boolean) => (key: string) =>
      ({ type: 'update', key, values: { completed, text: 'x' } }) as LocalChange;
    expect(renderLine('- [-] x', update(true))).toBe('- [-] x');
    expect(renderLine('- [/] x', update(false))).toBe('- [/] x');
    expect(renderLine('- [/] x', update(true))).toBe('- [x] x');
    expect(renderLine('- [-] x', update(false))).toBe('- [ ] x');
  });
});

describe('a plain bullet stays plain', () => {
  test('when its text changes to something that is not other markdown', () => {
    const update = (text: string) => (key: string) => ({ type: 'update', key, values: { text } }) as LocalChange;
    expect(renderLine('- a', update('[Docs](x)'))).toBe('- [Docs](x)');
    expect(renderLine('- a', update('7.18.0: release'))).toBe('- 7.18.0: release');
    expect(renderLine('- a', update('# heading'))).toBe('- [ ] # heading');
    expect(renderLine('- a', update('1. one'))).toBe('- [ ] 1. one');
  });
});

test('a date-only change replaces the date and nothing else', () => {
  const line = '- [ ] \\#a  ⏫ 📅 2026-01-01 ✅ 2026-01-02 ';
  const out = renderLine(line, (key) => ({
    type: 'update',
    key,
    values: { due: { date: '2026-03-04', time: null, timezone: null } },
  }));
  expect(out).toBe('- [ ] \\#a  ⏫ 📅 2026-03-04 ✅ 2026-01-02 ');
});

/** Lines with every construct the span rule is about, in any combination. */
const constructLine = fc
  .tuple(
    fc.constantFrom('', '  ', '\t'),
    fc.constantFrom('-', '*', '+', '1.', '7)'),
    fc.constantFrom(' ', '  '),
    fc.constantFrom('', '[ ] ', '[x] ', '[X] ', '[-] ', '[/] ', '[>] ', '[?] '),
    fc.array(
      fc.constantFrom(
        '[Docs](https://x.y)',
        '[[Link]]',
        '**Bold**',
        '`code`',
        '#tag',
        '\\#tag',
        '7.18.0:',
        'word',
        '⏫',
        '🔁 every week',
        '✅ 2026-01-02',
        '➕ 2026-01-01',
        '📅 2026-05-06',
        '\\@bob',
      ),
      { minLength: 1, maxLength: 6 },
    ),
    fc.constantFrom('', ' ', '  ', '\t'),
  )
  .map(([indent, marker, gap, box, words, trail]) => indent + marker + gap + box + words.join(' ') + trail);

test('setting the block id of any such line only adds the id: every other byte is equal', () => {
  fc.assert(
    fc.property(constructLine, (line) => {
      const source = line + '\n';
      const before = parseOutline(source).tasks[0];
      if (before === undefined) return;
      const out = renderLine(line, setId);
      expect(out.startsWith(line)).toBe(true);
      expect(out.slice(line.length)).toMatch(/^ ?\^tk-abcdef12$/);
      // The second read gives the same item with its id.
      const after = parseOutline(out + '\n').tasks[0];
      expect(after?.id).toBe('abcdef12');
      expect({ ...after, id: null, key: '' }).toMatchObject({ ...before, id: null, key: '', conflicts: [] });
    }),
    fcParams(),
  );
});

test('changing the completion of any such line only changes the checkbox symbol', () => {
  fc.assert(
    fc.property(constructLine, (line) => {
      const before = parseOutline(line + '\n').tasks[0];
      if (before === undefined) return;
      const out = renderLine(line, (key) => ({ type: 'update', key, values: { completed: !before.completed } }));
      const box = /^([ \t]*(?:[-*+]|\d+[.)])[ \t]+)\[(.)\]/u.exec(line);
      if (box !== null) {
        const at = (box[1] ?? '').length + 1;
        expect(out.slice(0, at) + out.slice(at + 1)).toBe(line.slice(0, at) + line.slice(at + 1));
      }
      expect(parseOutline(out + '\n').tasks[0]?.completed).toBe(!before.completed);
    }),
    fcParams(),
  );
});

describe('headings carry no id', () => {
  const headings = fc
    .tuple(
      fc.constantFrom('## ', '### ', '###### ', '##\t'),
      fc.array(
        fc.constantFrom('Plans', '[Docs](x)', '`code`', '#tag', '\\#3121', '7.18.0', 'word', '@bob', '^anchor'),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      fc.constantFrom('', ' ', ' ##', ' ## ', '  '),
    )
    .map(([open, words, close]) => open + words.join(' ') + close);

  test('set-id on any heading leaves its line byte for byte', () => {
    fc.assert(
      fc.property(headings, (line) => {
        const source = `${line}\n\n- [ ] x\n`;
        const outline = parseOutline(source);
        const key = outline.tasks[0]?.key ?? 'missing';
        expect(renderChanges(source, outline, [{ type: 'set-id', key, id: 'abcdef123456' }])).toBe(source);
      }),
      fcParams(),
    );
  });

  test.each([
    ['## Plans ^tk-old12345', '## Plans'],
    ['## Plans ^tk-old12345 ##', '## Plans ##'],
    ['## Plans  ^tk-old12345  ', '## Plans  '],
    ['Setext ^tk-old12345\n---', 'Setext\n---'],
  ])('an id an older version wrote on `%s` is removed with the white space before it', (line, want) => {
    const source = `${line}\n`;
    const outline = parseOutline(source);
    expect(outline.tasks[0]?.id).toBe('old12345');
    const out = renderChanges(source, outline, [{ type: 'set-id', key: outline.tasks[0]!.key, id: 'old12345aa' }]);
    expect(out).toBe(`${want}\n`);
  });
});

describe('note lines that look like ordered items', () => {
  test('`4. Bake` is written `4\\. Bake` (the CommonMark escape, shown as written), and read back', () => {
    const source = '- [ ] Tart\n';
    const outline = parseOutline(source);
    const key = outline.tasks[0]!.key;
    const out = renderChanges(source, outline, [
      { type: 'update', key, values: { note: 'Preheat\n4. Bake\n10) Cool' } },
    ]);
    expect(out).toBe('- [ ] Tart\n  Preheat\n  4\\. Bake\n  10\\) Cool\n');
    expect(parseOutline(out).tasks[0]?.note).toBe('Preheat\n4. Bake\n10) Cool');
  });

  test('a `\\4.` written by an older version still reads as `4.`', () => {
    expect(parseOutline('- a\n  \\4. Bake\n').tasks[0]?.note).toBe('4. Bake');
  });

  test('any note round-trips, and no written line shows a backslash before a number', () => {
    const noteLine = fc
      .tuple(
        fc.constantFrom('', ' ', '   '),
        fc.constantFrom('', '\\', '\\\\'),
        fc.constantFrom('4', '1', '10', '123456789', '-', '*', 'x'),
        fc.constantFrom('', '\\', '\\\\'),
        fc.constantFrom('.', ')', ''),
        fc.constantFrom(' Bake', '', '\tx', 'y'),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(noteLine, { minLength: 1, maxLength: 4 }), (lines) => {
        const note = lines.join('\n');
        const source = '- [ ] Tart\n';
        const outline = parseOutline(source);
        const out = renderChanges(source, outline, [{ type: 'update', key: outline.tasks[0]!.key, values: { note } }]);
        const back = parseOutline(out).tasks[0];
        expect(back?.children).toEqual([]);
        expect(back?.note).toBe(normaliseNote(note));
        for (const l of out.split('\n').slice(1)) {
          if (!/^ {2}( {0,3})\\+\d/.test(l)) continue;
          // Only a note line that itself starts with a backslash keeps one there.
          expect(note.split('\n').some((n) => n.trimStart().startsWith('\\'))).toBe(true);
        }
      }),
      fcParams(),
    );
  });
});

describe('an item whose paragraph runs over several lines', () => {
  const setIdOn = (source: string): string => {
    const outline = parseOutline(source);
    return renderChanges(source, outline, [setId(outline.tasks[0]!.key)]);
  };

  test('gets its id at the end of the paragraph, where Obsidian reads a block id', () => {
    const source = "- [ ] #task Task in 'multi_line'\n  continues here\n  and here\n\n  Second paragraph.\n  - child\n";
    const out = setIdOn(source);
    expect(out).toBe(source.replace('and here\n', 'and here ^tk-abcdef12\n'));
    const back = parseOutline(out).tasks[0]!;
    expect(back.id).toBe('abcdef12');
    expect(back.note).toBe(parseOutline(source).tasks[0]!.note);
    expect(back.children.map((c) => c.text)).toEqual(['child']);
  });

  test('a text change rewrites the first line only; the id stays at the end of the paragraph', () => {
    const source = '- [ ] a\n  b ^tk-abcdef12\n';
    const outline = parseOutline(source);
    expect(outline.tasks[0]).toMatchObject({ id: 'abcdef12', text: 'a', note: 'b' });
    const out = renderChanges(source, outline, [{ type: 'update', key: outline.tasks[0]!.key, values: { text: 'A' } }]);
    expect(out).toBe('- [ ] A\n  b ^tk-abcdef12\n');
  });

  test('an id an older version wrote on the first line stays there and is read', () => {
    const source = '- [ ] a ^tk-abcdef12\n  b\n';
    expect(parseOutline(source).tasks[0]).toMatchObject({ id: 'abcdef12', note: 'b' });
    expect(setIdOn(source)).toBe(source);
  });

  test('a note line that ends like a block id is escaped, so it stays note text', () => {
    const source = '- [ ] a\n';
    const outline = parseOutline(source);
    const out = renderChanges(source, outline, [
      { type: 'update', key: outline.tasks[0]!.key, values: { note: 'see ^tk-abcdef12' } },
    ]);
    expect(out).toBe('- [ ] a\n  see \\^tk-abcdef12\n');
    expect(parseOutline(out).tasks[0]).toMatchObject({ id: null, note: 'see ^tk-abcdef12' });
  });

  const continuation = fc
    .tuple(
      fc.constantFrom('  ', '   ', '\t'),
      fc.array(fc.constantFrom('more', '**bold**', '[[Link]]', '#tag', '📅 2026-05-06', '@bob', 'x:'), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.constantFrom('', ' '),
    )
    .map(([indent, words, trail]) => indent + words.join(' ') + trail);

  test('set-id on any such item adds the id to the paragraph’s last line and changes no other byte', () => {
    fc.assert(
      fc.property(
        constructLine,
        fc.array(continuation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('', '\n\n  after a blank line', '\n  - child'),
        (first, more, tail) => {
          if (/^[ \t]/.test(first)) return; // the continuation's indentation is relative to a top-level item
          const source = [first, ...more].join('\n') + tail + '\n';
          const before = parseOutline(source).tasks[0];
          if (before === undefined || before.id !== null) return;
          const out = setIdOn(source);
          const lines = source.split('\n');
          const last = more.length; // the paragraph's last line
          const outLines = out.split('\n');
          expect(outLines.length).toBe(lines.length);
          outLines.forEach((l, i) => {
            if (i !== last) expect(l).toBe(lines[i]);
            else {
              expect(l.startsWith(lines[i]!)).toBe(true);
              expect(l.slice(lines[i]!.length)).toBe(' ^tk-abcdef12');
            }
          });
          const after = parseOutline(out).tasks[0];
          expect(after?.id).toBe('abcdef12');
          expect({ ...after, id: null, key: '' }).toMatchObject({ ...before, id: null, key: '' });
        },
      ),
      fcParams(),
    );
  });
});

describe('moves keep lists as they were', () => {
  const keyAt = (source: string, path: number[]): string => {
    let nodes = parseOutline(source).tasks;
    let key = '';
    for (const i of path) {
      key = nodes[i]!.key;
      nodes = nodes[i]!.children;
    }
    return key;
  };
  const move = (source: string, from: number[], parent: number[] | null, after: number[] | null): string =>
    renderChanges(source, parseOutline(source), [
      {
        type: 'move',
        key: keyAt(source, from),
        parent: parent === null ? null : keyAt(source, parent),
        after: after === null ? null : keyAt(source, after),
      },
    ]);

  test('a moved item that starts a new ordered list is numbered 1, and no blank line makes it loose', () => {
    expect(move('1. a\n2. b\n3. c\n', [2], [1], null)).toBe('1. a\n2. b\n   1. c\n');
    expect(move('1) a\n2) b\n7) c\n', [2], [0], null)).toBe('1) a\n   1) c\n2) b\n');
  });

  test('a moved item leaves the blank line before it where it was; the tight list it joins stays tight', () => {
    const source = '- a\n- b\n\n- c\n\n## S\n\n- x\n- y\n';
    const out = move(source, [2], [3], [3, 0]);
    expect(out).toBe('- a\n- b\n\n## S\n\n- x\n- c\n- y\n');
  });
});

test('a task placed after the last section is written after its items, and a second one after the first', () => {
  const source = '- top\n\n## A\n\n- a1\n\n## B\n\n- b1\n';
  const outline = parseOutline(source);
  const sectionB = outline.tasks[2]!.key;
  const item = (key: string, text: string) => ({
    key,
    id: null,
    kind: 'task' as const,
    values: { text, completed: false, note: null, due: null, assignees: [] },
    children: [],
  });
  const out = renderChanges(source, outline, [
    { type: 'insert', parent: null, after: sectionB, item: item('n1', 'late') },
    { type: 'insert', parent: null, after: 'n1', item: item('n2', 'later') },
  ]);
  expect(out).toBe('- top\n\n## A\n\n- a1\n\n## B\n\n- b1\n- [ ] late\n- [ ] later\n');
});

describe('a trailing @word is an assignee only when it is a member handle', () => {
  const members = (h: string): boolean => ['bob', 'alice'].includes(h);

  test.each([
    ['- Fixed it, thanks @name', 'Fixed it, thanks @name', []],
    ['- [ ] Review @bob', 'Review', ['bob']],
    ['- [ ] Review @bob thanks @name', 'Review @bob thanks @name', []],
    ['- [ ] Pair @name @alice', 'Pair @name', ['alice']],
    ['- [ ] Ship on @2026-12-01', 'Ship on @2026-12-01', []],
  ])('`%s`', (line, text, assignees) => {
    expect(parseOutline(line + '\n', { isAssignee: members }).tasks[0]).toMatchObject({ text, assignees });
  });

  test('`@2026-12-01` and `@1.2.3` are never handles, members or not', () => {
    expect(parseOutline('- a @2026-12-01 @1.2.3\n').tasks[0]).toMatchObject({
      text: 'a @2026-12-01 @1.2.3',
      assignees: [],
    });
  });

  test('set-id on a line ending in any @words adds only the id, whoever is a member', () => {
    const words = fc.array(fc.constantFrom('@bob', '@name', '@2026-12-01', 'thanks', '#tag', '📅 2026-05-06'), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(words, fc.boolean(), (ws, bobIsMember) => {
        const line = '- [ ] x ' + ws.join(' ');
        const source = line + '\n';
        const isAssignee = (h: string): boolean => bobIsMember && h === 'bob';
        const outline = parseOutline(source, { isAssignee });
        const out = renderChanges(source, outline, [setId(outline.tasks[0]!.key)]);
        expect(out).toBe(`${line} ^tk-abcdef12\n`);
        const back = parseOutline(out, { isAssignee }).tasks[0]!;
        expect({ ...back, id: null, key: '' }).toMatchObject({ ...outline.tasks[0]!, id: null, key: '' });
      }),
      fcParams(),
    );
  });
});

describe("the user's own block id", () => {
  test.each(['- [ ] Embed me ^my-block', '- Embed me ^abc123 ', '- [x] done ⏫ 📅 2026-01-01 ^b1'])(
    'set-id on `%s` leaves the line byte for byte (the block id stays last)',
    (line) => {
      expect(renderLine(line, setId)).toBe(line);
    },
  );

  test('is not text; a text change writes it last again', () => {
    const source = '- [ ] Embed me ^my-block\n';
    const outline = parseOutline(source);
    expect(outline.tasks[0]).toMatchObject({ text: 'Embed me', id: null });
    const out = renderChanges(source, outline, [
      {
        type: 'update',
        key: outline.tasks[0]!.key,
        values: { text: 'Embedded', due: { date: '2026-12-01', time: null, timezone: null } },
      },
    ]);
    expect(out).toBe('- [ ] Embedded 📅 2026-12-01 ^my-block\n');
  });

  test('an older `^abc ^tk-…` line still reads its ^tk- id, and ^abc stays in the text', () => {
    expect(parseOutline('- [ ] x ^abc ^tk-abcdef12\n').tasks[0]).toMatchObject({ id: 'abcdef12', text: 'x ^abc' });
  });
});
