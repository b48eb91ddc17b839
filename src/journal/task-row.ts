import { normaliseAssignees, normaliseNote, type Due, type TaskKind, type TaskRecord } from '../model/task.js';
import { hashField } from './hash.js';
import type { FieldHashes } from './types.js';

/** A `tasks` row as SQLite stores it (see migration 1). */
export interface TaskRow {
  task_id: string;
  parent_id: string | null;
  position: number;
  kind: TaskKind;
  text: string;
  completed: 0 | 1;
  note: string | null;
  due_json: string | null;
  assignees_json: string;
  h_text: string;
  h_completed: string;
  h_note: string;
  h_due: string;
  h_assignees: string;
}

function normaliseDue(due: Due | null): Due | null {
  return due === null ? null : { date: due.date, time: due.time ?? null, timezone: due.timezone ?? null };
}

/** A row's stored values without the hashes (which follow from them). */
export type ValueRow = Omit<TaskRow, 'h_text' | 'h_completed' | 'h_note' | 'h_due' | 'h_assignees'>;

/** The stored values of a record, in normal form (cheap: no hashing). */
export function toValueRow(record: TaskRecord, position: number): ValueRow {
  const due = normaliseDue(record.due);
  return {
    task_id: record.id,
    parent_id: record.parentId,
    position,
    kind: record.kind,
    text: record.text,
    completed: record.completed ? 1 : 0,
    note: normaliseNote(record.note),
    due_json: due === null ? null : JSON.stringify(due),
    assignees_json: JSON.stringify(normaliseAssignees(record.assignees)),
  };
}

/** Whether two rows store the same values (then their hashes agree too). */
export function sameValues(a: ValueRow, b: ValueRow): boolean {
  return (
    a.task_id === b.task_id &&
    a.parent_id === b.parent_id &&
    a.position === b.position &&
    a.kind === b.kind &&
    a.text === b.text &&
    a.completed === b.completed &&
    a.note === b.note &&
    a.due_json === b.due_json &&
    a.assignees_json === b.assignees_json
  );
}

/** The row for a record, with values in normal form so that stored values and hashes agree. */
export function toTaskRow(record: TaskRecord, position: number): TaskRow {
  const note = normaliseNote(record.note);
  const due = normaliseDue(record.due);
  const assignees = normaliseAssignees(record.assignees);
  return {
    ...toValueRow(record, position),
    h_text: hashField('text', record.text),
    h_completed: hashField('completed', record.completed),
    h_note: hashField('note', note),
    h_due: hashField('due', due),
    h_assignees: hashField('assignees', assignees),
  };
}

export function fromTaskRow(row: TaskRow): TaskRecord {
  return {
    id: row.task_id,
    parentId: row.parent_id,
    kind: row.kind,
    text: row.text,
    completed: row.completed === 1,
    note: normaliseNote(row.note),
    due: row.due_json === null ? null : normaliseDue(JSON.parse(row.due_json) as Due),
    assignees: normaliseAssignees(JSON.parse(row.assignees_json) as string[]),
  };
}

export function hashesOf(
  row: Pick<TaskRow, 'h_text' | 'h_completed' | 'h_note' | 'h_due' | 'h_assignees'>,
): FieldHashes {
  return { text: row.h_text, completed: row.h_completed, note: row.h_note, due: row.h_due, assignees: row.h_assignees };
}
