import type { ServerResponse } from 'node:http';
import type { DateValue, ProjectState, Store, TaskDate, TaskNode } from './store.js';

/**
 * The simulator's read-only page at `/`: each simulated project's outline (tasks nested, done or
 * open, note, date, assignees), so a demo user can watch the Taskade side in a browser. It reads
 * the store directly: no token, no request counted in the v1 stats, no project marked viewed.
 * It reloads itself every `refreshSeconds` (a meta refresh: no script).
 */

export const PAGE_REFRESH_SECONDS = 2;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function dateValue(d: DateValue): string {
  return [d.date, d.time ?? null, d.timezone ?? null].filter((x) => x !== null && x !== '').join(' ');
}

function dateText(date: TaskDate): string {
  return date.end === undefined ? dateValue(date.start) : `${dateValue(date.start)} → ${dateValue(date.end)}`;
}

function taskItem(p: ProjectState, node: TaskNode): string {
  const parts = [
    `<span class="box">${node.completed ? '☑' : '☐'}</span>`,
    `<span class="text">${escapeHtml(node.text)}</span>`,
  ];
  if (node.date !== null) parts.push(`<span class="date">due ${escapeHtml(dateText(node.date))}</span>`);
  if (node.assignees.length > 0)
    parts.push(`<span class="who">${node.assignees.map((a) => escapeHtml('@' + a)).join(' ')}</span>`);
  if (node.note !== null && node.note.value !== '')
    parts.push(`<div class="note">${escapeHtml(node.note.value).replace(/\n/g, '<br>')}</div>`);
  const cls = node.completed ? ' class="done"' : '';
  return `<li${cls} data-id="${escapeHtml(node.id)}">${parts.join(' ')}${taskList(p, node)}</li>`;
}

function taskList(p: ProjectState, parent: TaskNode): string {
  const children = parent.children.map((id) => p.nodes.get(id)).filter((n): n is TaskNode => n !== undefined);
  if (children.length === 0) return '';
  return `<ul>${children.map((c) => taskItem(p, c)).join('')}</ul>`;
}

function projectSection(p: ProjectState): string {
  const root = p.nodes.get(p.rootId);
  const tasks = p.nodes.size - 1;
  const done = [...p.nodes.values()].filter((n) => n.parentId !== null && n.completed).length;
  const body = root === undefined || root.children.length === 0 ? '<p class="empty">no tasks</p>' : taskList(p, root);
  return (
    `<section data-project="${escapeHtml(p.id)}"><h3>${escapeHtml(p.name)}</h3>` +
    `<p class="meta">${escapeHtml(p.id)} · ${tasks} task${tasks === 1 ? '' : 's'}, ${done} done</p>${body}</section>`
  );
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:56em;padding:0 1em;color:#222;background:#fff}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{margin-bottom:.1em}
.meta,.empty{color:#666;font-size:.85em;margin-top:0}ul{list-style:none;padding-left:1.4em}li{margin:.15em 0}
.done>.text{text-decoration:line-through;color:#777}.box{color:#2a6}.date{color:#b50;font-size:.9em}
.who{color:#36c;font-size:.9em}.note{color:#555;font-size:.9em;margin-left:1.6em;border-left:3px solid #ddd;padding-left:.5em}`;

/** The whole page for the store's current state. */
export function renderOutlinePage(
  store: Store,
  o: { refreshSeconds?: number; now?: Date; requests?: number } = {},
): string {
  const refresh = o.refreshSeconds ?? PAGE_REFRESH_SECONDS;
  const sections: string[] = [];
  for (const ws of store.workspaces.values()) {
    sections.push(`<h2>Workspace ${escapeHtml(ws.name)} <span class="meta">${escapeHtml(ws.id)}</span></h2>`);
    for (const folder of store.foldersOf(ws.id)) {
      const projects = store.projectsIn(folder.id);
      if (folder.id !== ws.homeFolderId)
        sections.push(`<h2>Folder ${escapeHtml(folder.name)} <span class="meta">${escapeHtml(folder.id)}</span></h2>`);
      if (projects.length === 0) sections.push('<p class="empty">no projects</p>');
      for (const p of projects) sections.push(projectSection(p));
    }
  }
  const stamp = (o.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  const requests = o.requests === undefined ? '' : ` · ${o.requests} API request${o.requests === 1 ? '' : 's'} so far`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="refresh" content="${refresh}">`,
    '<title>Taskade simulator</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>Taskade simulator</h1>',
    `<p class="meta">Read-only view of the simulated projects, reloaded every ${refresh} s (last ${stamp}${requests}). ` +
      'The API is under <code>/api/v1</code>.</p>',
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}

export function sendPage(res: ServerResponse, html: string, head: boolean): void {
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : html);
}
