import type { SeedTask } from './store.js';

/**
 * The outline of a project created from markdown (POST /projects). Deliberately simple, because
 * Taskade documents only "first line becomes the title" and "each `- ` line becomes a task,
 * indent for subtasks":
 * - the first `# ` heading is the project name (default "Untitled");
 * - every `-`, `*` or `+` bullet is a task, at any indentation; nesting follows indentation
 *   (2 or 4 spaces, or tabs counted as 4 columns): an item is a child of the nearest preceding
 *   item indented less than it;
 * - `[ ]` / `[x]` after the bullet set `completed`; the rest of the line is the text, verbatim;
 * - every other line (paragraphs, other headings, blank lines) is ignored.
 */
export function parseProjectMarkdown(content: string): { name: string; tasks: SeedTask[] } {
  let name: string | undefined;
  const roots: SeedTask[] = [];
  const stack: { indent: number; task: SeedTask }[] = [];
  for (const line of content.split(/\r?\n/)) {
    const heading = /^#[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(line);
    if (heading !== null) {
      if (name === undefined) name = heading[1] ?? '';
      continue;
    }
    const item = /^([ \t]*)[-*+](?:[ \t]+(?:\[([ xX])\](?:[ \t]+|$))?(.*))?$/.exec(line);
    if (item === null) continue;
    const indent = columns(item[1] ?? '');
    const task: SeedTask = { text: (item[3] ?? '').trimEnd() };
    if (item[2] !== undefined) task.completed = item[2] !== ' ';
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    const parent = stack[stack.length - 1]?.task;
    if (parent === undefined) roots.push(task);
    else (parent.children ??= []).push(task);
    stack.push({ indent, task });
  }
  return { name: name === undefined || name === '' ? 'Untitled' : name, tasks: roots };
}

function columns(whitespace: string): number {
  let n = 0;
  for (const ch of whitespace) n += ch === '\t' ? 4 : 1;
  return n;
}
