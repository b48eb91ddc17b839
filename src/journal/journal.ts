import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { SyncError } from '../model/errors.js';
import { FIELDS, isNewId, type Field, type TaskRecord } from '../model/task.js';
import { openDatabase } from './native.js';
import { applyMigrations, LATEST_VERSION, readSchemaVersion } from './migrations.js';
import { outlineOrder } from './outline-order.js';
import { fromTaskRow, sameValues, toTaskRow, type TaskRow } from './task-row.js';
import type {
  AssigneeWrite,
  ConflictRow,
  Intent,
  IntentAnswer,
  Link,
  MoveRow,
  PollState,
  ProjectMembers,
  RateMemory,
  RunKind,
  RunOutcome,
  RunRow,
} from './types.js';

/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** The run log keeps this many most recent runs; a daemon would otherwise grow it forever. */
const RUNS_KEPT = 1_000;

interface LinkRow {
  project_id: string;
  path: string;
  file_hash: string | null;
  linked_at: number;
  updated_at: number;
}

interface IntentRow {
  id: number;
  project_id: string;
  ref: string;
  parent_id: string | null;
  after_id: string | null;
  text: string;
  batch: string;
  created_at: number;
  task_id: string | null;
  answer_json: string | null;
}

interface ConflictDbRow {
  project_id: string;
  task_id: string;
  field: Field;
  base_json: string;
  local_json: string;
  remote_json: string;
  winner: 'local' | 'remote';
  at: number;
  marker_written: 0 | 1;
}

interface PollRow {
  list_hash: string;
  last_polled_at: number;
  last_changed_at: number;
  interval_ms: number;
  rotation_cursor: string | null;
}

interface RunDbRow {
  id: number;
  kind: RunKind;
  started_at: number;
  finished_at: number | null;
  outcome: RunOutcome | null;
  counts_json: string;
  files_json: string;
  error: string | null;
}

/** JSON for a conflict value; `undefined` ("not read") has no JSON form and is kept as `null`. */
function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function isSqliteError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === code;
}

/**
 * The state journal: what both sides held after the last successful sync (the base snapshot),
 * plus the few things that must survive a crash (create intents, assignee writes in flight,
 * visible conflicts, poll state, the run log). It stores what was seen in sync, not work to do
 * (STYLE rule 2), with two exceptions, each a request of ours whose outcome may not be known: the
 * intent row of a create (not idempotent: after a lost answer the task is adopted, not made
 * twice) and the record of an assignee write sent in several requests (a run cut between them
 * leaves a set the next run must take for its own, not for Taskade's edit; reconcile/in-flight.ts).
 *
 * Every method is one short synchronous statement or transaction; callers pass `at` (epoch ms),
 * the journal has no clock. Values come back in normal form (src/model/task.ts).
 */
export class Journal {
  readonly schemaVersion: number;
  private readonly db: Database.Database;
  /** The database file, for error messages (`:memory:` in tests). */
  private readonly file: string;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database, file: string) {
    this.db = db;
    this.file = file;
    this.schemaVersion = Journal.prepareSchema(db, file);
  }

  /**
   * Open (creating folders and the file as needed) and migrate to the latest schema. A file that
   * is not an SQLite database, or one with damaged pages, is refused before any decision is made
   * from it: `PRAGMA quick_check` reads every page once (37 ms for a 7 MB journal of 50,000 tasks).
   */
  static open(path: string): Journal {
    mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database | undefined;
    try {
      db = openDatabase(path);
      readSchemaVersion(db); // fails here on a file that is not an SQLite database
      const problems = db.pragma('quick_check(5)', { simple: false }) as Array<{ quick_check: string }>;
      if (problems.length !== 1 || problems[0]!.quick_check !== 'ok')
        throw new Error(`damaged: ${problems.map((p) => p.quick_check).join('; ')}`);
    } catch (error) {
      db?.close();
      if (error instanceof SyncError) throw error; // the native module, not the file
      throw new SyncError(
        'CONFIG',
        `${path}: cannot open the state database, it is damaged or not a database (${(error as Error).message}); ` +
          'move it aside (e.g. add .damaged to its name) to start a fresh journal: the next sync matches ' +
          'the tasks again by content and deletes nothing (a task deleted on one side since comes back)',
        { file: path },
        { cause: error },
      );
    }
    try {
      return new Journal(db, path);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  static openInMemory(): Journal {
    return new Journal(openDatabase(':memory:'), ':memory:');
  }

  private static prepareSchema(db: Database.Database, file: string): number {
    const found = readSchemaVersion(db);
    if (found > LATEST_VERSION) {
      throw new SyncError(
        'CONFIG',
        `${file}: state database schema version ${found} is newer than this taskade-sync supports ` +
          `(${LATEST_VERSION}); upgrade taskade-sync, or move the file aside to start a fresh journal`,
        { file, version: found, supported: LATEST_VERSION },
      );
    }
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    // WAL: `status` and other readers never block the engine's short write transactions.
    db.pragma('journal_mode = WAL');
    // FULL (not NORMAL): a committed row means "this side effect happened"; a row lost to a
    // power cut would make the next run redo a write, and for a create intent, duplicate a task.
    db.pragma('synchronous = FULL');
    return applyMigrations(db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Run `fn` in one transaction (nested calls become savepoints). `fn` must be synchronous. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** The SQLite journal mode in effect (`wal` for a file database). */
  journalMode(): string {
    return this.db.pragma('journal_mode', { simple: true }) as string;
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private noLink(projectId: string): SyncError {
    return new SyncError('INTERNAL', `journal ${this.file}: no link for project ${projectId}; upsertLink first`, {
      file: this.file,
      projectId,
    });
  }

  /** Turn SQLite's bare foreign-key failure into an error that names the project. */
  private forLinkedProject<T>(projectId: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (isSqliteError(error, 'SQLITE_CONSTRAINT_FOREIGNKEY')) throw this.noLink(projectId);
      throw error;
    }
  }

  // ── links ──────────────────────────────────────────────────────────────────────────────────

  listLinks(): Link[] {
    return (this.stmt('SELECT * FROM links ORDER BY path').all() as LinkRow[]).map(toLink);
  }

  getLinkByPath(path: string): Link | null {
    const row = this.stmt('SELECT * FROM links WHERE path = ?').get(path) as LinkRow | undefined;
    return row ? toLink(row) : null;
  }

  getLinkByProject(projectId: string): Link | null {
    const row = this.stmt('SELECT * FROM links WHERE project_id = ?').get(projectId) as LinkRow | undefined;
    return row ? toLink(row) : null;
  }

  private assertPathFree(path: string, projectId: string): void {
    const holder = this.getLinkByPath(path);
    if (holder && holder.projectId !== projectId) {
      throw new SyncError(
        'CONFIG',
        `journal ${this.file}: ${path} is already linked to project ${holder.projectId}, cannot link it to ${projectId}; ` +
          'a file is linked to one project (remove the old link first)',
        { file: this.file, path, projectId, linkedTo: holder.projectId },
      );
    }
  }

  /** Create the link, or update its path and file hash; `linkedAt` is kept from the first call. */
  upsertLink(link: { path: string; projectId: string; fileHash: string | null; at: number }): void {
    this.transaction(() => {
      this.assertPathFree(link.path, link.projectId);
      this.stmt(
        `INSERT INTO links (project_id, path, file_hash, linked_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id) DO UPDATE SET path = excluded.path, file_hash = excluded.file_hash, updated_at = excluded.updated_at`,
      ).run(link.projectId, link.path, link.fileHash, link.at, link.at);
    });
  }

  setFileHash(projectId: string, fileHash: string, at: number): void {
    const { changes } = this.stmt('UPDATE links SET file_hash = ?, updated_at = ? WHERE project_id = ?').run(
      fileHash,
      at,
      projectId,
    );
    if (changes === 0) throw this.noLink(projectId);
  }

  /** The file was renamed or moved: same project, same base, new path. */
  moveLink(projectId: string, newPath: string, at: number): void {
    this.transaction(() => {
      this.assertPathFree(newPath, projectId);
      const { changes } = this.stmt('UPDATE links SET path = ?, updated_at = ? WHERE project_id = ?').run(
        newPath,
        at,
        projectId,
      );
      if (changes === 0) throw this.noLink(projectId);
    });
  }

  /** Forget a link with everything recorded for it (base, root id, intents, conflicts, poll state). */
  removeLink(projectId: string): void {
    // Every per-project table references links ON DELETE CASCADE.
    this.stmt('DELETE FROM links WHERE project_id = ?').run(projectId);
  }

  // ── base snapshot ──────────────────────────────────────────────────────────────────────────

  /** Whether a base was ever recorded for the project — true also for a synced, empty project. */
  hasBase(projectId: string): boolean {
    const row = this.stmt('SELECT base_at FROM projects_meta WHERE project_id = ?').get(projectId) as
      { base_at: number | null } | undefined;
    return row !== undefined && row.base_at !== null;
  }

  /** The base tasks in outline order (pre-order; siblings by position). */
  getBase(projectId: string): TaskRecord[] {
    const rows = this.stmt('SELECT * FROM tasks WHERE project_id = ?').all(projectId) as TaskRow[];
    const ordered = outlineOrder(
      rows.map((row) => ({ id: row.task_id, parentId: row.parent_id, position: row.position, row })),
    );
    return ordered.map((o) => fromTaskRow(o.row));
  }

  /** The base rows of these tasks, by id (those the base holds). */
  getBaseTasks(projectId: string, taskIds: readonly string[]): Map<string, TaskRecord> {
    const get = this.stmt('SELECT * FROM tasks WHERE project_id = ? AND task_id = ?');
    const out = new Map<string, TaskRecord>();
    for (const id of taskIds) {
      const row = get.get(projectId, id) as TaskRow | undefined;
      if (row !== undefined) out.set(id, fromTaskRow(row));
    }
    return out;
  }

  private markBase(projectId: string, at: number): void {
    this.stmt(
      `INSERT INTO projects_meta (project_id, root_id, base_at) VALUES (?, NULL, ?)
       ON CONFLICT (project_id) DO UPDATE SET base_at = coalesce(base_at, excluded.base_at)`,
    ).run(projectId, at);
  }

  private checkRecord(projectId: string, record: TaskRecord, position: number): void {
    if (isNewId(record.id)) {
      throw new SyncError(
        'INTERNAL',
        `journal: task ${record.id} of project ${projectId} has no Taskade id yet; only synced tasks belong in the base`,
        {
          projectId,
          taskId: record.id,
        },
      );
    }
    if (record.parentId === record.id) {
      throw new SyncError('INTERNAL', `journal: task ${record.id} of project ${projectId} names itself as its parent`, {
        projectId,
        taskId: record.id,
      });
    }
    if (!Number.isFinite(position)) {
      throw new SyncError(
        'INTERNAL',
        `journal: task ${record.id} of project ${projectId} has position ${position}, expected a finite number`,
        {
          projectId,
          taskId: record.id,
          position,
        },
      );
    }
  }

  private writeTask(projectId: string, record: TaskRecord, position: number, at: number): void {
    this.checkRecord(projectId, record, position);
    const r = toTaskRow(record, position);
    this.stmt(
      `INSERT INTO tasks (project_id, task_id, parent_id, position, kind, text, completed, note, due_json, assignees_json,
                          updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, task_id) DO UPDATE SET
         parent_id = excluded.parent_id, position = excluded.position, kind = excluded.kind, text = excluded.text,
         completed = excluded.completed, note = excluded.note, due_json = excluded.due_json,
         assignees_json = excluded.assignees_json, updated_at = excluded.updated_at`,
    ).run(
      projectId,
      r.task_id,
      r.parent_id,
      r.position,
      r.kind,
      r.text,
      r.completed,
      r.note,
      r.due_json,
      r.assignees_json,
      at,
    );
  }

  /** Record one task as synced (insert or replace its row). */
  putTask(projectId: string, record: TaskRecord, position: number, at: number): void {
    this.putTasks(projectId, [{ record, position }], at);
  }

  /** Record several tasks as synced, all or none. */
  putTasks(projectId: string, rows: Array<{ record: TaskRecord; position: number }>, at: number): void {
    this.forLinkedProject(projectId, () =>
      this.transaction(() => {
        this.markBase(projectId, at);
        for (const { record, position } of rows) this.writeTask(projectId, record, position, at);
      }),
    );
  }

  /** Remove a task and all its descendants from the base. */
  deleteTask(projectId: string, taskId: string): void {
    // UNION (not UNION ALL) stops on a parent cycle instead of recursing forever.
    this.stmt(
      `WITH RECURSIVE doomed(id) AS (
         SELECT @taskId
         UNION
         SELECT t.task_id FROM tasks t JOIN doomed d ON t.parent_id = d.id WHERE t.project_id = @projectId
       )
       DELETE FROM tasks WHERE project_id = @projectId AND task_id IN (SELECT id FROM doomed)`,
    ).run({ projectId, taskId });
  }

  /**
   * Replace the whole base; positions are the order among siblings in `records`. Only rows that
   * differ from the stored ones are written and only rows no longer there are deleted, so an
   * unchanged base costs one read and no write (under `synchronous = FULL` a write is an fsync).
   */
  replaceBase(projectId: string, records: TaskRecord[], at: number): void {
    this.forLinkedProject(projectId, () =>
      this.transaction(() => {
        const stored = new Map<string, TaskRow>();
        const rows = this.stmt(
          `SELECT task_id, parent_id, position, kind, text, completed, note, due_json, assignees_json
           FROM tasks WHERE project_id = ?`,
        ).all(projectId) as TaskRow[];
        for (const row of rows) stored.set(row.task_id, row);
        const meta = this.stmt('SELECT base_at FROM projects_meta WHERE project_id = ?').get(projectId) as
          { base_at: number | null } | undefined;
        if (meta?.base_at == null) this.markBase(projectId, at);
        const nextPosition = new Map<string | null, number>();
        const kept = new Set<string>();
        for (const record of records) {
          const position = nextPosition.get(record.parentId) ?? 0;
          nextPosition.set(record.parentId, position + 1);
          const old = stored.get(record.id);
          if (kept.has(record.id) || old === undefined || !sameValues(old, toTaskRow(record, position))) {
            this.writeTask(projectId, record, position, at);
          } else {
            this.checkRecord(projectId, record, position);
          }
          kept.add(record.id);
        }
        const remove = this.stmt('DELETE FROM tasks WHERE project_id = ? AND task_id = ?');
        for (const id of stored.keys()) if (!kept.has(id)) remove.run(projectId, id);
      }),
    );
  }

  // ── create intents ─────────────────────────────────────────────────────────────────────────

  /** Record a create before its POST is sent; returns the intent id. */
  addIntent(i: {
    projectId: string;
    ref: string;
    parentId: string | null;
    afterId: string | null;
    text: string;
    batch: string;
    at: number;
  }): number {
    return this.forLinkedProject(i.projectId, () => {
      const { lastInsertRowid } = this.stmt(
        'INSERT INTO intents (project_id, ref, parent_id, after_id, text, batch, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(i.projectId, i.ref, i.parentId, i.afterId, i.text, i.batch, i.at);
      return Number(lastInsertRowid);
    });
  }

  /** Open intents of a project, oldest first. */
  listIntents(projectId: string): Intent[] {
    const rows = this.stmt('SELECT * FROM intents WHERE project_id = ? ORDER BY id').all(projectId) as IntentRow[];
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      ref: r.ref,
      parentId: r.parent_id,
      afterId: r.after_id,
      text: r.text,
      batch: r.batch,
      at: r.created_at,
      ...(r.task_id !== null && r.answer_json !== null
        ? { answer: { taskId: r.task_id, record: JSON.parse(r.answer_json) as IntentAnswer['record'] } }
        : {}),
    }));
  }

  /**
   * Taskade answered the create as task `taskId`, which holds `record`, but the file could not
   * be written with its id: the intent stays open, and the next run adopts that task by its id
   * with `record` as its base. Answering an intent that is gone is a no-op, like `resolveIntent`.
   */
  answerIntent(intentId: number, taskId: string, record: IntentAnswer['record']): void {
    if (isNewId(taskId)) {
      throw new SyncError(
        'INTERNAL',
        `journal ${this.file}: create intent ${intentId} answered as ${taskId}, expected a Taskade task id`,
        { file: this.file, intentId, taskId },
      );
    }
    this.stmt('UPDATE intents SET task_id = ?, answer_json = ? WHERE id = ?').run(
      taskId,
      JSON.stringify(record),
      intentId,
    );
  }

  /**
   * The create is known to have happened as task `taskId`: the intent is done (the caller writes
   * the base row). Resolving an intent that is already gone is a no-op, like `dropIntent`: it must
   * not roll back the transaction that records a whole sync.
   */
  resolveIntent(intentId: number, taskId: string): void {
    if (isNewId(taskId)) {
      throw new SyncError(
        'INTERNAL',
        `journal ${this.file}: create intent ${intentId} resolved as ${taskId}, expected a Taskade task id`,
        {
          file: this.file,
          intentId,
          taskId,
        },
      );
    }
    this.stmt('DELETE FROM intents WHERE id = ?').run(intentId);
  }

  /** The create is known not to have happened (and will be planned afresh). */
  dropIntent(intentId: number): void {
    this.stmt('DELETE FROM intents WHERE id = ?').run(intentId);
  }

  // ── assignee writes in flight ──────────────────────────────────────────────────────────────

  /** Record an assignee write before its first request (replacing an older one for the task). */
  putAssigneeWrite(w: AssigneeWrite): void {
    this.forLinkedProject(w.projectId, () =>
      this.stmt(
        `INSERT INTO assignee_writes (project_id, task_id, from_json, to_json, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id, task_id) DO UPDATE SET from_json = excluded.from_json, to_json = excluded.to_json,
           at = excluded.at`,
      ).run(w.projectId, w.taskId, JSON.stringify(w.from), JSON.stringify(w.to), w.at),
    );
  }

  /** The project's assignee writes not known to be finished, oldest first. */
  listAssigneeWrites(projectId: string): AssigneeWrite[] {
    const rows = this.stmt('SELECT * FROM assignee_writes WHERE project_id = ? ORDER BY at, task_id').all(
      projectId,
    ) as Array<{ project_id: string; task_id: string; from_json: string; to_json: string; at: number }>;
    return rows.map((r) => ({
      projectId: r.project_id,
      taskId: r.task_id,
      from: JSON.parse(r.from_json) as string[],
      to: JSON.parse(r.to_json) as string[],
      at: r.at,
    }));
  }

  // ── tasks moved to another file ────────────────────────────────────────────────────────────

  /** A task of `projectId` was created in another project as `toTaskId`: its delete here is owed. */
  putMove(m: MoveRow): void {
    this.forLinkedProject(m.projectId, () =>
      this.stmt(
        `INSERT INTO moves (project_id, task_id, to_project_id, to_task_id, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id, task_id) DO UPDATE SET to_project_id = excluded.to_project_id,
           to_task_id = excluded.to_task_id, at = excluded.at`,
      ).run(m.projectId, m.taskId, m.toProjectId, m.toTaskId, m.at),
    );
  }

  /** The moves out of a project whose tasks are still there, oldest first. */
  listMoves(projectId: string): MoveRow[] {
    const rows = this.stmt('SELECT * FROM moves WHERE project_id = ? ORDER BY at, task_id').all(projectId) as Array<{
      project_id: string;
      task_id: string;
      to_project_id: string;
      to_task_id: string;
      at: number;
    }>;
    return rows.map((r) => ({
      projectId: r.project_id,
      taskId: r.task_id,
      toProjectId: r.to_project_id,
      toTaskId: r.to_task_id,
      at: r.at,
    }));
  }

  /** The write completed, or the base now records the task's set; a no-op when it is gone. */
  dropAssigneeWrite(projectId: string, taskId: string): void {
    this.stmt('DELETE FROM assignee_writes WHERE project_id = ? AND task_id = ?').run(projectId, taskId);
  }

  /** The task is gone from the project (or back in its file): nothing more is owed. */
  dropMove(projectId: string, taskId: string): void {
    this.stmt('DELETE FROM moves WHERE project_id = ? AND task_id = ?').run(projectId, taskId);
  }

  // ── conflicts ──────────────────────────────────────────────────────────────────────────────

  /**
   * Record (or update) the conflict on one field of one task. `markerOwed`: recorded before the
   * winner is pushed, its marker not yet in the file (default: the marker is written).
   */
  putConflict(c: {
    projectId: string;
    taskId: string;
    field: Field;
    base: unknown;
    local: unknown;
    remote: unknown;
    winner: 'local' | 'remote';
    at: number;
    markerOwed?: boolean;
  }): void {
    if (!(FIELDS as readonly string[]).includes(c.field)) {
      throw new SyncError(
        'INTERNAL',
        `journal: conflict field \`${String(c.field)}\`, expected one of ${FIELDS.join(', ')}`,
        { field: c.field },
      );
    }
    this.forLinkedProject(c.projectId, () =>
      this.stmt(
        `INSERT INTO conflicts (project_id, task_id, field, base_json, local_json, remote_json, winner, at, marker_written)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, task_id, field) DO UPDATE SET base_json = excluded.base_json,
           local_json = excluded.local_json, remote_json = excluded.remote_json, winner = excluded.winner, at = excluded.at,
           marker_written = excluded.marker_written`,
      ).run(
        c.projectId,
        c.taskId,
        c.field,
        toJson(c.base),
        toJson(c.local),
        toJson(c.remote),
        c.winner,
        c.at,
        c.markerOwed === true ? 0 : 1,
      ),
    );
  }

  /** Pending conflicts (of one project, or all), in the order they were recorded. */
  listConflicts(projectId?: string): ConflictRow[] {
    const rows = (
      projectId === undefined
        ? this.stmt('SELECT * FROM conflicts ORDER BY at, project_id, task_id, field').all()
        : this.stmt('SELECT * FROM conflicts WHERE project_id = ? ORDER BY at, task_id, field').all(projectId)
    ) as ConflictDbRow[];
    return rows.map((r) => ({
      projectId: r.project_id,
      taskId: r.task_id,
      field: r.field,
      base: JSON.parse(r.base_json) as unknown,
      local: JSON.parse(r.local_json) as unknown,
      remote: JSON.parse(r.remote_json) as unknown,
      winner: r.winner,
      at: r.at,
      ...(r.marker_written === 0 ? { markerOwed: true as const } : {}),
    }));
  }

  clearConflict(projectId: string, taskId: string, field: Field): void {
    this.stmt('DELETE FROM conflicts WHERE project_id = ? AND task_id = ? AND field = ?').run(projectId, taskId, field);
  }

  // ── poll state ─────────────────────────────────────────────────────────────────────────────

  getPollState(projectId: string): PollState | null {
    const row = this.stmt('SELECT * FROM poll_state WHERE project_id = ?').get(projectId) as PollRow | undefined;
    if (!row) return null;
    return {
      listHash: row.list_hash,
      lastPolledAt: row.last_polled_at,
      lastChangedAt: row.last_changed_at,
      intervalMs: row.interval_ms,
      rotationCursor: row.rotation_cursor,
    };
  }

  putPollState(projectId: string, s: PollState): void {
    this.forLinkedProject(projectId, () =>
      this.stmt(
        `INSERT INTO poll_state (project_id, list_hash, last_polled_at, last_changed_at, interval_ms, rotation_cursor)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id) DO UPDATE SET list_hash = excluded.list_hash, last_polled_at = excluded.last_polled_at,
           last_changed_at = excluded.last_changed_at, interval_ms = excluded.interval_ms, rotation_cursor = excluded.rotation_cursor`,
      ).run(projectId, s.listHash, s.lastPolledAt, s.lastChangedAt, s.intervalMs, s.rotationCursor),
    );
  }

  // ── learned request rate ─────────────────────────────────────────────────────────────────

  /** What an earlier run learned for the token whose key (a hash, never the token) is given. */
  getRateMemory(tokenKey: string): RateMemory | null {
    const row = this.stmt('SELECT * FROM rate_memory WHERE token_key = ?').get(tokenKey) as
      | {
          budget_per_minute: number;
          rate_per_minute: number;
          limited_at_per_minute: number | null;
          updated_at: number;
        }
      | undefined;
    if (!row) return null;
    return {
      budgetPerMinute: row.budget_per_minute,
      ratePerMinute: row.rate_per_minute,
      limitedAtPerMinute: row.limited_at_per_minute,
      updatedAt: row.updated_at,
    };
  }

  putRateMemory(tokenKey: string, m: RateMemory): void {
    this.stmt(
      `INSERT INTO rate_memory (token_key, budget_per_minute, rate_per_minute, limited_at_per_minute, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (token_key) DO UPDATE SET budget_per_minute = excluded.budget_per_minute,
         rate_per_minute = excluded.rate_per_minute, limited_at_per_minute = excluded.limited_at_per_minute,
         updated_at = excluded.updated_at`,
    ).run(tokenKey, m.budgetPerMinute, m.ratePerMinute, m.limitedAtPerMinute, m.updatedAt);
  }

  // ── anchors (the user's own block ids) ─────────────────────────────────────────────────

  /** Anchor (a block id the user wrote, without `^`) → the task it names, for the project. */
  listAnchors(projectId: string): Map<string, string> {
    const rows = this.stmt('SELECT anchor, task_id FROM anchors WHERE project_id = ?').all(projectId) as Array<{
      anchor: string;
      task_id: string;
    }>;
    return new Map(rows.map((r) => [r.anchor, r.task_id] as const));
  }

  putAnchor(projectId: string, anchor: string, taskId: string): void {
    this.stmt(
      `INSERT INTO anchors (project_id, anchor, task_id) VALUES (?, ?, ?)
       ON CONFLICT (project_id, anchor) DO UPDATE SET task_id = excluded.task_id`,
    ).run(projectId, anchor, taskId);
  }

  // ── project members ──────────────────────────────────────────────────────────────────────

  /** The member handles last read for the project, and the `@word`s then known not to be members. */
  getMembers(projectId: string): ProjectMembers | null {
    const row = this.stmt('SELECT * FROM project_members WHERE project_id = ?').get(projectId) as
      { handles_json: string; checked_json: string; fetched_at: number } | undefined;
    if (!row) return null;
    return {
      handles: JSON.parse(row.handles_json) as string[],
      checked: JSON.parse(row.checked_json) as string[],
      fetchedAt: row.fetched_at,
    };
  }

  putMembers(projectId: string, m: ProjectMembers): void {
    this.stmt(
      `INSERT INTO project_members (project_id, handles_json, checked_json, fetched_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id) DO UPDATE SET handles_json = excluded.handles_json,
         checked_json = excluded.checked_json, fetched_at = excluded.fetched_at`,
    ).run(projectId, JSON.stringify(m.handles), JSON.stringify(m.checked), m.fetchedAt);
  }

  // ── run log ────────────────────────────────────────────────────────────────────────────────

  /** Log the start of a run; keeps the newest runs only. Returns the run id. */
  startRun(r: { kind: RunKind; at: number; files?: string[] }): number {
    return this.transaction(() => {
      const { lastInsertRowid } = this.stmt('INSERT INTO runs (kind, started_at, files_json) VALUES (?, ?, ?)').run(
        r.kind,
        r.at,
        JSON.stringify(r.files ?? []),
      );
      const id = Number(lastInsertRowid);
      this.stmt('DELETE FROM runs WHERE id <= ?').run(id - RUNS_KEPT);
      return id;
    });
  }

  finishRun(id: number, r: { at: number; outcome: RunOutcome; counts: Record<string, number>; error?: string }): void {
    const { changes } = this.stmt(
      'UPDATE runs SET finished_at = ?, outcome = ?, counts_json = ?, error = ? WHERE id = ?',
    ).run(r.at, r.outcome, JSON.stringify(r.counts), r.error ?? null, id);
    if (changes === 0) {
      throw new SyncError('INTERNAL', `journal ${this.file}: no run ${id} to finish`, { file: this.file, runId: id });
    }
  }

  /** The newest `limit` runs, newest first. */
  lastRuns(limit: number): RunRow[] {
    const rows = this.stmt('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as RunDbRow[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      counts: JSON.parse(r.counts_json) as Record<string, number>,
      files: JSON.parse(r.files_json) as string[],
      error: r.error,
    }));
  }
}

function toLink(row: LinkRow): Link {
  return {
    path: row.path,
    projectId: row.project_id,
    fileHash: row.file_hash,
    linkedAt: row.linked_at,
    updatedAt: row.updated_at,
  };
}
