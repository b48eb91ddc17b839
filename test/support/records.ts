import type { RemoteTaskRecord, TaskRecord } from '../../src/model/task.js';

/** A task record with plain defaults (text `task <id>`); override what the test is about. */
export function task(id: string, parentId: string | null, over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    parentId,
    kind: 'task',
    text: `task ${id}`,
    completed: false,
    note: null,
    due: null,
    assignees: [],
    ...over,
  };
}

/** The same task as the remote list shows it: note, date and assignees not read this run. */
export function unreadRemote(r: TaskRecord): RemoteTaskRecord {
  return {
    id: r.id,
    parentId: r.parentId,
    text: r.text,
    completed: r.completed,
    note: undefined,
    due: undefined,
    assignees: undefined,
  };
}
