import type { ConflictMarker } from '../../../src/model/local-change.js';
import type { Due, RemoteTaskRecord, TaskKind, TaskRecord } from '../../../src/model/task.js';
import {
  DEFAULT_PLAN_OPTIONS,
  type LocalTask,
  type PlanInput,
  type PlanOptions,
} from '../../../src/reconcile/index.js';

/**
 * A small outline notation for planner fixtures, one task a line, two spaces per level:
 *
 *     - [a] Ship the importer | done note=Hello due=2026-12-01 @alice section
 *       - [new:x] Added locally
 *
 * `[id]` is the task id (`new:<key>` for a local item without one). After `|`: `done`, `section`,
 * `note=<one word>`, `due=<date>`, `@handle`. A local item's key is its id without `new:`.
 */
export function records(src: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  const stack: string[] = [];
  for (const raw of src.split('\n')) {
    if (raw.trim() === '') continue;
    const m = /^( *)- \[([^\]]+)\] ([^|]*?)\s*(?:\|(.*))?$/.exec(raw);
    if (!m) throw new Error(`outline line not understood: ${JSON.stringify(raw)}`);
    const depth = m[1]!.length / 2;
    if (!Number.isInteger(depth) || depth > stack.length) throw new Error(`bad indentation: ${JSON.stringify(raw)}`);
    stack.length = depth;
    const id = m[2]!;
    let kind: TaskKind = 'task';
    let completed = false;
    let note: string | null = null;
    let due: Due | null = null;
    const assignees: string[] = [];
    for (const attr of (m[4] ?? '').trim().split(/\s+/).filter(Boolean)) {
      if (attr === 'done') completed = true;
      else if (attr === 'section') kind = 'section';
      else if (attr.startsWith('note=')) note = attr.slice(5);
      else if (attr.startsWith('due=')) due = { date: attr.slice(4), time: null, timezone: null };
      else if (attr.startsWith('@')) assignees.push(attr.slice(1));
      else throw new Error(`unknown attribute ${attr} in ${JSON.stringify(raw)}`);
    }
    out.push({
      id,
      parentId: stack[depth - 1] ?? null,
      kind,
      text: m[3]!,
      completed,
      note,
      due,
      assignees: assignees.sort(),
    });
    stack.push(id);
  }
  return out;
}

export function localTasks(src: string, markers: Record<string, ConflictMarker[]> = {}): LocalTask[] {
  return records(src).map((t) => {
    const key = t.id.startsWith('new:') ? t.id.slice(4) : t.id;
    return { ...t, key, conflicts: markers[key] ?? [] };
  });
}

/** Remote tasks; ids listed in `unread` have their note, due and assignees not read this run. */
export function remoteTasks(src: string, unread: string[] = []): RemoteTaskRecord[] {
  return records(src).map(({ kind: _kind, ...t }) =>
    unread.includes(t.id) ? { ...t, note: undefined, due: undefined, assignees: undefined } : t,
  );
}

export function input(
  parts: {
    base: string | null;
    local: string;
    remote: string;
    unread?: string[];
    markers?: Record<string, ConflictMarker[]>;
  } & Partial<Pick<PlanInput, 'pending'>>,
  options: Partial<PlanOptions> = {},
): PlanInput {
  return {
    base: parts.base === null ? null : records(parts.base),
    local: localTasks(parts.local, parts.markers),
    remote: remoteTasks(parts.remote, parts.unread),
    pending: parts.pending ?? [],
    options: { ...DEFAULT_PLAN_OPTIONS, ...options },
  };
}
