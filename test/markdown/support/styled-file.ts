import type { NewItem } from '../../../src/model/local-change.js';
import { shortId } from '../../../src/markdown/index.js';
import { formatLineMetadata } from '../../../src/markdown/line-metadata.js';
import { noteToLines } from '../../../src/markdown/note-lines.js';

export interface FileStyle {
  eol: '\n' | '\r\n';
  /** Nesting step for list items. */
  unit: '  ' | '    ' | '\t';
  /** `1.`: ordered items numbered in order from `start`, so a change can leave one other than 1 right after a note. */
  marker: '-' | '*' | '+' | '1.';
  /** First number of every ordered list; a list that does not start at 1 follows a blank line (it cannot interrupt a paragraph). */
  start: 1 | 2;
  /** Paragraphs, code with list-like lines, a quoted list and a table between the synced parts. */
  noise: boolean;
  /** The file ends without a line ending. */
  bareEnd: boolean;
}

const NOISE = [
  'Free text with a [[Wiki link]] and #tag.',
  '',
  '```md',
  '- [ ] not a task, inside code',
  '```',
  '',
  '> [!note] A callout',
  '> Quoted text, not a list: items in quotes are tasks (test/markdown/quoted-tasks.test.ts).',
  '',
  '| a | b |',
  '| - | - |',
  '| - [ ] x | y |',
  '',
];

/** A notes file for `items` written in the given style (what a person or another tool might write). */
export function styledFile(project: string, items: NewItem[], style: FileStyle, ids: string[]): string {
  const out: string[] = ['---', 'taskade:', `  project: ${project}`, 'tags: [a, b]', '---', '# Title', ''];
  if (style.noise) out.push(...NOISE);
  const short = (id: string | null): string | null => (id === null ? null : shortId(id, ids));
  const ordered = style.marker === '1.';
  const task = (item: NewItem, indent: string, position: number): void => {
    const v = item.values;
    const content = formatLineMetadata({
      text: v.text,
      due: v.due,
      assignees: v.assignees,
      conflicts: [],
      id: short(item.id),
      anchor: null,
    });
    const marker = ordered ? `${style.start + position}.` : style.marker;
    out.push(`${indent}${marker} [${v.completed ? 'x' : ' '}]${content ? ' ' + content : ''}`);
    const contentIndent = indent + ' '.repeat(marker.length + 1);
    const blankBeforeChildren = ordered && style.start !== 1 && item.children.length > 0;
    if (v.note !== null)
      out.push(
        ...noteToLines(v.note, contentIndent, { children: item.children.length > 0, blankLine: blankBeforeChildren }),
      );
    if (blankBeforeChildren && out.at(-1) !== '') out.push('');
    const childIndent = style.unit === '  ' && ordered ? contentIndent : indent + style.unit;
    item.children.forEach((c, i) => task(c, childIndent, i));
  };
  const tasks = items.filter((i) => i.kind === 'task');
  tasks.forEach((t, i) => task(t, '', i));
  const section = (item: NewItem, level: number): void => {
    if (out.length > 0 && out.at(-1) !== '') out.push('');
    const content = formatLineMetadata({
      text: item.values.text,
      due: item.values.due,
      assignees: item.values.assignees,
      conflicts: [],
      id: short(item.id),
    });
    out.push('#'.repeat(level) + (content ? ' ' + content : ''));
    if (style.noise) out.push('', 'A paragraph under the heading.', '');
    item.children.filter((i) => i.kind === 'task').forEach((c, i) => task(c, '', i));
    for (const c of item.children.filter((i) => i.kind === 'section')) section(c, level + 1);
  };
  for (const s of items.filter((i) => i.kind === 'section')) section(s, 2);
  const text = out.join(style.eol);
  return style.bareEnd ? text : text + style.eol;
}
