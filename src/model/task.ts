/**
 * The normalised task model shared by every view of a project: the local outline (L), the remote
 * task tree (R) and the base snapshot in the journal (B). The planner compares these values, the
 * journal hashes them, the markdown renderer and the Taskade client translate them.
 *
 * Normal forms (every producer must emit these, so equal meaning means equal value):
 * - `text`: one line of inline markdown, no leading/trailing white space, no checkbox, no metadata.
 * - `note`: LF line breaks, no trailing white space at the end, `null` when there is none (never `''`).
 * - `due`: `time` is `HH:MM` or `HH:MM:SS` or `null`; `timezone` an IANA name or `null`.
 * - `assignees`: handles without `@`, unique, sorted by code unit.
 */

export interface Due {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM` or `HH:MM:SS` (24 h), or `null` for a date-only due date. */
  time: string | null;
  /** IANA time zone name, or `null` for a zone-less date. */
  timezone: string | null;
}

export interface TaskValues {
  text: string;
  completed: boolean;
  note: string | null;
  due: Due | null;
  assignees: string[];
}

/** The fields the three-way merge works on, in a fixed order (used for hashing and reports). */
export const FIELDS = ['text', 'completed', 'note', 'due', 'assignees'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * `task` is a list item; `section` is a heading (H2–H6) whose children are the items beneath it.
 * On Taskade both are plain tasks: the kind is remembered locally (file and journal).
 */
export type TaskKind = 'task' | 'section';

/**
 * One task in a flat snapshot. A snapshot is an array of records in outline (pre-order) order;
 * sibling order is the order of records with the same `parentId`.
 */
export interface TaskRecord extends TaskValues {
  /** Taskade task id. For a local item not yet created remotely: `new:<outline key>`. */
  id: string;
  /** Parent task id, or `null` at the top level of the project. */
  parentId: string | null;
  kind: TaskKind;
}

/**
 * What the remote side knows of a task after one poll. Notes, dates and assignees cost one
 * request per task, so a poll may not have read them: `undefined` means "not read this run,
 * assume unchanged since the base".
 */
export interface RemoteTaskRecord extends Omit<TaskRecord, 'note' | 'due' | 'assignees' | 'kind'> {
  note: string | null | undefined;
  due: Due | null | undefined;
  assignees: string[] | undefined;
}

export const NEW_ID_PREFIX = 'new:';

export function isNewId(id: string): boolean {
  return id.startsWith(NEW_ID_PREFIX);
}

/** Normalise an assignee list: strip `@`, drop empties and duplicates, sort. */
export function normaliseAssignees(handles: readonly string[]): string[] {
  const out = new Set<string>();
  for (const h of handles) {
    const handle = h.startsWith('@') ? h.slice(1) : h;
    if (handle.length > 0) out.add(handle);
  }
  return [...out].sort();
}

/** Normalise a note: LF breaks, trailing white space trimmed, empty becomes `null`. */
export function normaliseNote(note: string | null | undefined): string | null {
  if (note == null) return null;
  const text = note.replace(/\r\n?/g, '\n').replace(/\s+$/u, '');
  return text.length === 0 ? null : text;
}

export function dueEquals(a: Due | null, b: Due | null): boolean {
  if (a === null || b === null) return a === b;
  return a.date === b.date && a.time === b.time && a.timezone === b.timezone;
}

export function fieldEquals<F extends Field>(field: F, a: TaskValues[F], b: TaskValues[F]): boolean {
  switch (field) {
    case 'due':
      return dueEquals(a as Due | null, b as Due | null);
    case 'assignees': {
      const x = a as string[];
      const y = b as string[];
      return x.length === y.length && x.every((v, i) => v === y[i]);
    }
    default:
      return a === b;
  }
}

export function valuesEqual(a: TaskValues, b: TaskValues): boolean {
  return FIELDS.every((f) => fieldEquals(f, a[f], b[f]));
}

export function pickValues(t: TaskValues): TaskValues {
  return {
    text: t.text,
    completed: t.completed,
    note: t.note,
    due: t.due === null ? null : { ...t.due },
    assignees: [...t.assignees],
  };
}
