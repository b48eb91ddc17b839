import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/index.js';
import { task, tempDir } from './support.js';

let tmp: ReturnType<typeof tempDir>;
let journal: Journal;
let file: string;
beforeEach(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'state.db');
  journal = Journal.open(file);
  journal.upsertLink({ path: 'a.md', projectId: 'P1', fileHash: null, at: 1 });
});
afterEach(() => {
  journal.close();
  tmp.cleanup();
});

/** `updated_at` per task, read beside the journal through a second connection. */
function writtenAt(): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT task_id, updated_at FROM tasks ORDER BY task_id').all() as Array<{
      task_id: string;
      updated_at: number;
    }>;
    return Object.fromEntries(rows.map((r) => [r.task_id, r.updated_at]));
  } finally {
    db.close();
  }
}

describe('journal.replaceBase writes only what changed', () => {
  it('an unchanged base writes no row; a changed field, a new place, a new and a gone task write theirs', () => {
    const base = [task('a', null), task('b', 'a'), task('c', 'a'), task('d', null)];
    journal.replaceBase('P1', base, 10);
    expect(writtenAt()).toEqual({ a: 10, b: 10, c: 10, d: 10 });

    journal.replaceBase('P1', base, 20);
    expect(writtenAt()).toEqual({ a: 10, b: 10, c: 10, d: 10 });
    expect(journal.getBase('P1')).toEqual(base);

    // c's note changes, b and c swap places (both positions change), d goes, e comes.
    const next = [task('a', null), { ...task('c', 'a'), note: 'new note' }, task('b', 'a'), task('e', null)];
    journal.replaceBase('P1', next, 30);
    expect(writtenAt()).toEqual({ a: 10, b: 30, c: 30, e: 30 });
    expect(journal.getBase('P1')).toEqual(next);
  });

  it('keeps when the base was first recorded, and an empty base stays "synced, and empty"', () => {
    journal.replaceBase('P1', [], 5);
    expect(journal.hasBase('P1')).toBe(true);
    journal.replaceBase('P1', [task('a', null)], 6);
    journal.replaceBase('P1', [], 7);
    expect(journal.hasBase('P1')).toBe(true);
    expect(journal.getBase('P1')).toEqual([]);
  });
});
