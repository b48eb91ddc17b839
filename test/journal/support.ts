import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskRecord } from '../../src/model/task.js';

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'taskade-sync-journal-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A task record with plain defaults; override what the test is about. */
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
