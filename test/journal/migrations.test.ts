import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, LATEST_VERSION } from '../../src/journal/index.js';
import { applyMigrations, MIGRATIONS } from '../../src/journal/migrations.js';
import { toTaskRow } from '../../src/journal/task-row.js';
import { SyncError } from '../../src/model/errors.js';
import { task, tempDir } from './support.js';

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});

afterEach(() => cleanup());

/** A database as the first release of the schema left it, with some data in it. */
function createVersion1(file: string): void {
  const db = new Database(file);
  applyMigrations(db, MIGRATIONS.slice(0, 1));
  db.prepare('INSERT INTO links (project_id, path, file_hash, linked_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
    'P1',
    'a.md',
    'fh',
    1,
    2,
  );
  db.prepare('INSERT INTO projects_meta (project_id, root_id, base_at) VALUES (?, ?, ?)').run('P1', 'root', 2);
  const r = toTaskRow(
    task('t1', null, { note: 'n', assignees: ['bob'], due: { date: '2026-01-01', time: null, timezone: null } }),
    0,
  );
  db.prepare(
    `INSERT INTO tasks (project_id, task_id, parent_id, position, kind, text, completed, note, due_json, assignees_json,
       h_text, h_completed, h_note, h_due, h_assignees, updated_at)
     VALUES ('P1', @task_id, @parent_id, @position, @kind, @text, @completed, @note, @due_json, @assignees_json,
       @h_text, @h_completed, @h_note, @h_due, @h_assignees, 2)`,
  ).run({ ...r, h_text: 'h1', h_completed: 'h2', h_note: 'h3', h_due: 'h4', h_assignees: 'h5' });
  db.prepare(
    "INSERT INTO intents (project_id, ref, parent_id, after_id, text, batch, created_at) VALUES ('P1', 'k', NULL, 't1', 'new one', 'B', 3)",
  ).run();
  db.prepare(
    `INSERT INTO conflicts (project_id, task_id, field, base_json, local_json, remote_json, winner, at)
     VALUES ('P1', 't1', 'text', '"a"', '"b"', '"c"', 'remote', 4)`,
  ).run();
  db.close();
}

describe('schema migrations', () => {
  it('has consecutive versions starting at 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('migrates a version 1 database forward with its data intact', () => {
    const file = join(dir, 'state.db');
    createVersion1(file);
    const journal = Journal.open(file);
    try {
      expect(journal.schemaVersion).toBe(LATEST_VERSION);
      expect(journal.getLinkByProject('P1')).toEqual({
        path: 'a.md',
        projectId: 'P1',
        fileHash: 'fh',
        linkedAt: 1,
        updatedAt: 2,
      });
      expect(journal.hasBase('P1')).toBe(true);
      expect(journal.getBase('P1')).toEqual([
        task('t1', null, { note: 'n', assignees: ['bob'], due: { date: '2026-01-01', time: null, timezone: null } }),
      ]);
      expect(journal.listIntents('P1').map((i) => [i.ref, i.afterId, i.text])).toEqual([['k', 't1', 'new one']]);
      expect(journal.listConflicts('P1').map((c) => [c.taskId, c.local])).toEqual([['t1', 'b']]);
      // Version 7 dropped the per-field hashes nothing read.
      const columns = new Database(file, { readonly: true });
      try {
        const names = (columns.prepare('PRAGMA table_info(tasks)').all() as Array<{ name: string }>).map((c) => c.name);
        expect(names.filter((n) => n.startsWith('h_'))).toEqual([]);
      } finally {
        columns.close();
      }
      // The tables of version 2 work on the migrated database.
      journal.putPollState('P1', {
        listHash: 'h',
        lastPolledAt: 1,
        lastChangedAt: 1,
        intervalMs: 1,
        rotationCursor: null,
      });
      expect(journal.getPollState('P1')?.listHash).toBe('h');
      expect(journal.lastRuns(5)).toEqual([]);
    } finally {
      journal.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version, name FROM schema_meta ORDER BY version').all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
    db.close();
  });

  it('applies nothing twice when an up-to-date database is opened again', () => {
    const file = join(dir, 'state.db');
    Journal.open(file).close();
    const journal = Journal.open(file);
    expect(journal.schemaVersion).toBe(LATEST_VERSION);
    journal.close();
  });

  it('refuses a database from a newer taskade-sync, naming the file and both versions', () => {
    const file = join(dir, 'state.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    let error: unknown;
    try {
      Journal.open(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('CONFIG');
    expect((error as SyncError).message).toBe(
      `${file}: state database schema version ${LATEST_VERSION + 1} is newer than this taskade-sync supports ` +
        `(${LATEST_VERSION}); upgrade taskade-sync, or move the file aside to start a fresh journal`,
    );
    expect((error as SyncError).data).toEqual({ file, version: LATEST_VERSION + 1, supported: LATEST_VERSION });
  });

  it('leaves a failed step unapplied: the version stays where the last complete step left it', () => {
    const db = new Database(':memory:');
    const broken = [
      MIGRATIONS[0]!,
      { version: 2, name: 'broken', sql: 'CREATE TABLE ok_so_far (x); THIS IS NOT SQL;' },
    ];
    expect(() => applyMigrations(db, broken)).toThrowError(/syntax error/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_so_far'").all()).toEqual([]);
    db.close();
  });
});
