import { normaliseAssignees, normaliseNote, type Due, type TaskKind, type TaskRecord } from '../model/task.js';

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
}

function normaliseDue(due: Due | null): Due | null {
  return due === null ? null : { date: due.date, time: due.time ?? null, timezone: due.timezone ?? null };
}

/** The row for a record, values in normal form. */
export function toTaskRow(record: TaskRecord, position: number): TaskRow {
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

/** Whether two rows store the same values. */
export function sameValues(a: TaskRow, b: TaskRow): boolean {
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
