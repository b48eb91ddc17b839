import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SyncError } from '../../model/errors.js';
import type { Due } from '../../model/task.js';
import { parseOutline, type Outline, type OutlineNode } from '../../markdown/index.js';
import { JSON_OUT, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { EXIT } from '../../model/exit-codes.js';

/** The stable `--json` form (README, "taskade-sync inspect"). */
interface InspectNode {
  id: string | null;
  text: string;
  completed: boolean;
  kind: 'task' | 'section';
  note: string | null;
  due: Due | null;
  assignees: string[];
  line: number;
  children: InspectNode[];
}

export function inspectJson(outline: Outline): {
  project: string | null;
  title: string | null;
  tasks: InspectNode[];
  diagnostics: Array<{ line: number; message: string }>;
} {
  const node = (n: OutlineNode): InspectNode => ({
    id: n.id,
    text: n.text,
    completed: n.completed,
    kind: n.kind,
    note: n.note,
    due: n.due === null ? null : { date: n.due.date, time: n.due.time, timezone: n.due.timezone },
    assignees: [...n.assignees],
    line: n.line,
    children: n.children.map(node),
  });
  return {
    project: outline.project,
    title: outline.title,
    tasks: outline.tasks.map(node),
    diagnostics: outline.diagnostics.map((d) => ({ line: d.line, message: d.message })),
  };
}

export function inspectText(outline: Outline): string {
  const lines: string[] = [`project: ${outline.project ?? '(not linked)'}`, `title: ${outline.title ?? '(none)'}`];
  const width = String(Math.max(1, ...allLines(outline.tasks))).length;
  const visit = (n: OutlineNode, depth: number): void => {
    const head = n.kind === 'section' ? '§' : n.completed ? '[x]' : '[ ]';
    const parts = [`${String(n.line).padStart(width)}  ${'  '.repeat(depth)}${head} ${n.text}`];
    if (n.due) parts.push(`📅 ${[n.due.date, n.due.time, n.due.timezone].filter((p) => p !== null).join(' ')}`);
    if (n.assignees.length > 0) parts.push(n.assignees.map((a) => '@' + a).join(' '));
    if (n.id !== null) parts.push(`^tk-${n.id}`);
    if (n.conflicts.length > 0) parts.push(`(conflicts: ${n.conflicts.map((c) => c.field).join(', ')})`);
    lines.push(parts.join('  '));
    if (n.note !== null) {
      for (const l of n.note.split('\n')) lines.push(`${' '.repeat(width)}  ${'  '.repeat(depth + 2)}│ ${l}`);
    }
    for (const c of n.children) visit(c, depth + 1);
  };
  lines.push('tasks:');
  for (const t of outline.tasks) visit(t, 1);
  lines.push(outline.diagnostics.length === 0 ? 'diagnostics: none' : 'diagnostics:');
  for (const d of outline.diagnostics) lines.push(`  line ${d.line}: ${d.severity}: ${d.message}`);
  return lines.join('\n') + '\n';
}

function allLines(nodes: OutlineNode[]): number[] {
  return nodes.flatMap((n) => [n.line, ...allLines(n.children)]);
}

export const command: Command = {
  name: 'inspect',
  summary: 'print the outline and diagnostics the sync reads from a notes file',
  usage: [
    'Usage: taskade-sync inspect FILE [--json]',
    '',
    'Prints the tasks, sections, notes, due dates, assignees and block ids parsed from FILE, with',
    'their line numbers, and every diagnostic. Exit 0 when the file was read (even with warnings),',
    '2 when it cannot be read.',
    '',
    '  --json   the stable JSON form: {project, title, tasks: [Node], diagnostics: [{line, message}]}',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('inspect', {
      args: argv,
      options: { json: JSON_OUT },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      throw new SyncError(
        'USAGE',
        `expected exactly one FILE, got ${positionals.length}; usage: taskade-sync inspect FILE [--json]`,
      );
    }
    const file = positionals[0] as string;
    const path = resolve(io.cwd, file);
    let source: string;
    try {
      source = await readFile(path, 'utf8');
    } catch (cause) {
      const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
      throw new SyncError('USAGE', `cannot read ${file} (${reason})`, { path }, { cause });
    }
    const outline = parseOutline(source, { path: file });
    io.stdout.write(values.json ? JSON.stringify(inspectJson(outline), null, 2) + '\n' : inspectText(outline));
    return EXIT.OK;
  },
};
