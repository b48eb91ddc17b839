import type { NewItem } from '../model/local-change.js';
import { shortId } from './identity.js';
import { formatLineMetadata } from './line-metadata.js';
import { noteToLines } from './note-lines.js';

/**
 * A fresh notes file for a pulled project: the front matter link, the H1 title, the top-level
 * tasks as a list, then the sections. In a markdown outline the items under a heading come before
 * its sub-headings, so within one parent, tasks are written before sections.
 */
export function renderNewFile(input: { project: string; title: string | null; tasks: NewItem[] }): string {
  const ids: string[] = [];
  const collect = (items: NewItem[]): void => {
    for (const item of items) {
      if (item.id !== null) ids.push(item.id);
      collect(item.children);
    }
  };
  collect(input.tasks);
  const short = (id: string | null): string | null => (id === null ? null : shortId(id, ids));

  const blocks: string[][] = [];
  blocks.push(['---', 'taskade:', `  project: ${yamlScalar(input.project)}`, '---']);
  if (input.title !== null && input.title.trim().length > 0)
    blocks.push([`# ${input.title.replace(/\r\n|\r|\n/g, ' ').trim()}`]);

  const sectionBlocks = (items: NewItem[], level: number): void => {
    const tasks = items.filter((i) => i.kind === 'task' || level > 6);
    const sections = items.filter((i) => i.kind === 'section' && level <= 6);
    if (tasks.length > 0) blocks.push(tasks.flatMap((t) => taskLines(t, '', short)));
    for (const s of sections) {
      const meta = formatLineMetadata({
        text: s.values.text,
        due: s.values.due,
        assignees: s.values.assignees,
        conflicts: [],
        // A heading carries no id: its text stays its anchor; the journal knows its task.
        id: null,
      });
      blocks.push([`${'#'.repeat(level)} ${meta}`.trimEnd()]);
      sectionBlocks(s.children, level + 1);
    }
  };
  sectionBlocks(input.tasks, 2);
  return blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
}

/** One list item and its subtree, in the canonical form the renderer also uses for inserts. */
export function taskLines(
  item: NewItem,
  indent: string,
  short: (id: string | null) => string | null,
  marker = '-',
): string[] {
  const v = item.values;
  const content = formatLineMetadata({
    text: v.text,
    due: v.due,
    assignees: v.assignees,
    conflicts: [],
    id: short(item.id),
    anchor: null,
  });
  const lines = [`${indent}${marker} [${v.completed ? 'x' : ' '}]${content.length > 0 ? ' ' + content : ''}`];
  const childIndent = indent + ' '.repeat(marker.length + 1);
  if (v.note !== null)
    lines.push(...noteToLines(v.note, childIndent, { children: item.children.length > 0, blankLine: false }));
  for (const child of item.children) lines.push(...taskLines(child, childIndent, short, '-'));
  return lines;
}

function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_-]+$/.test(value) && !/^\d+$/.test(value) ? value : JSON.stringify(value);
}
