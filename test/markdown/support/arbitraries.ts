import fc from 'fast-check';
import type { ConflictMarker, NewItem } from '../../../src/model/local-change.js';
import type { Due, TaskValues } from '../../../src/model/task.js';

/** Words chosen to sit near every rule of the first-line grammar: metadata look-alikes, escapes, emoji. */
const WORDS = [
  'alpha',
  'beta',
  'Ship',
  'x',
  '#tag',
  '⏫',
  '🔼',
  '@bob',
  '📅',
  '2026-01-01',
  '\\',
  '\\@x',
  '[ ]',
  '[x]',
  '[[Wiki link]]',
  '**bold**',
  '`code`',
  '😀',
  '𝄞',
  'é',
  '^tk-abcdefgh',
  '^foreign',
  '%%',
  '⏰',
  '12:00',
  'UTC',
  '<br>',
  '#',
  '1.',
  '-',
  '*',
  '+',
  '✅',
  '🔁',
  'every',
  'day',
  '%%conflict',
  'text:',
  '"a"%%',
  '==⚠',
  'conflict',
  'due:',
  '2026-01-01==',
  // Block openers: on an item's first line, and on a note line, where they may open a block that runs on.
  '```',
  '~~~',
  '```js',
  '````',
  '<div>',
  '<!--',
  '-->',
  '<pre>',
  '<?',
  '<![CDATA[',
  '<!X',
];

export const word = fc.constantFrom(...WORDS);

export const text = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' ').trim());

/** Note lines, including list look-alikes and blank lines; normalised (no trailing white space at the end). */
export const note: fc.Arbitrary<string | null> = fc.option(
  fc
    .array(
      fc.oneof(
        text,
        fc.constantFrom('', '- item', '1. first', '\\- escaped', '  indented', '> quote'),
        // Code fences and HTML blocks, closed or not by a later line of the note.
        fc.constantFrom(
          '```',
          '~~~',
          '```js',
          '~~~~ x',
          ' ```',
          '\\```',
          '<div>',
          '<!--',
          '-->',
          '<pre>',
          '</pre>',
          '<?',
          '?>',
          '<![CDATA[',
          ']]>',
          '<!X',
          '>',
        ),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((lines) => lines.join('\n').replace(/\s+$/u, ''))
    .map((n) => (n.length === 0 ? null : n)),
  { nil: null },
);

export const due: fc.Arbitrary<Due | null> = fc.option(
  fc.record({
    date: fc.constantFrom('2026-12-01', '2024-02-29', '1999-01-31'),
    time: fc.constantFrom(null, '15:30', '08:05:09'),
    timezone: fc.constantFrom(null, 'Europe/Paris', 'UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'),
  }),
  { nil: null },
);

export const assignees = fc
  .uniqueArray(fc.constantFrom('alice', 'bob', 'c.d', 'e-f', '_x', 'zoë'), { maxLength: 3 })
  .map((a) => [...a].sort());

export const taskValues: fc.Arbitrary<TaskValues> = fc.record({ text, completed: fc.boolean(), note, due, assignees });

export const sectionValues: fc.Arbitrary<TaskValues> = fc
  .record({ text, due, assignees })
  .map((v) => ({ ...v, completed: false, note: null }));

export const conflicts: fc.Arbitrary<ConflictMarker[]> = fc.array(
  fc.oneof(
    text.map((value): ConflictMarker => ({ field: 'text', value })),
    fc.boolean().map((value): ConflictMarker => ({ field: 'completed', value })),
    note.map((value): ConflictMarker => ({ field: 'note', value: value === null ? 'a % b\nc' : value })),
    due.map((value): ConflictMarker => ({ field: 'due', value })),
    assignees.map((value): ConflictMarker => ({ field: 'assignees', value })),
  ),
  { maxLength: 2 },
);

export const fullId = fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}$/);

let keySeq = 0;
function freshKey(): string {
  keySeq += 1;
  return `new:${keySeq}`;
}

/** A task subtree (tasks only). */
export function taskItem(depth: number): fc.Arbitrary<NewItem> {
  return fc
    .record({
      id: fc.option(fullId, { nil: null }),
      values: taskValues,
      children: depth <= 1 ? fc.constant([] as NewItem[]) : fc.array(taskItem(depth - 1), { maxLength: 2 }),
    })
    .map((r) => ({ key: freshKey(), kind: 'task' as const, ...r }));
}

/** A section with tasks first, then sub-sections (the only order markdown can hold). */
export function sectionItem(depth: number): fc.Arbitrary<NewItem> {
  return fc
    .record({
      id: fc.option(fullId, { nil: null }),
      values: sectionValues,
      tasks: fc.array(taskItem(2), { maxLength: 3 }),
      sections: depth <= 1 ? fc.constant([] as NewItem[]) : fc.array(sectionItem(depth - 1), { maxLength: 2 }),
    })
    .map((r) => ({
      key: freshKey(),
      kind: 'section' as const,
      id: r.id,
      values: r.values,
      children: [...r.tasks, ...r.sections],
    }));
}

/** A whole project: top-level tasks, then sections; ids unique. */
export const projectItems: fc.Arbitrary<NewItem[]> = fc
  .tuple(fc.array(taskItem(3), { maxLength: 3 }), fc.array(sectionItem(3), { maxLength: 3 }))
  .map(([tasks, sections]) => dedupeIds([...tasks, ...sections]));

function dedupeIds(items: NewItem[]): NewItem[] {
  const seen = new Set<string>();
  const visit = (item: NewItem): NewItem => {
    let id = item.id;
    if (id !== null && seen.has(id)) id = null;
    if (id !== null) seen.add(id);
    return { ...item, id, children: item.children.map(visit) };
  };
  return items.map(visit);
}

export function allIds(items: NewItem[]): string[] {
  return items.flatMap((i) => [...(i.id === null ? [] : [i.id]), ...allIds(i.children)]);
}
