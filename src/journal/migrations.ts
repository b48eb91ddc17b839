import type Database from 'better-sqlite3';

/**
 * The journal schema as an ordered list of forward migrations. Version N is the database after
 * the first N steps; `PRAGMA user_version` records it, `schema_meta` names each applied step.
 * Never edit a released step: add a new one. Each step runs in its own transaction, so a crash
 * leaves the database at the last complete version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'links, base snapshot, create intents, conflicts',
    sql: `
      CREATE TABLE schema_meta (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL
      );
      CREATE TABLE links (
        project_id TEXT PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        file_hash TEXT,
        linked_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- base_at: when a base snapshot was first recorded; tells "synced, and empty" apart from
      -- "never synced" (the empty-side guard and re-linking after a lost journal need that).
      CREATE TABLE projects_meta (
        project_id TEXT PRIMARY KEY REFERENCES links(project_id) ON DELETE CASCADE,
        root_id TEXT,
        base_at INTEGER
      );
      CREATE TABLE tasks (
        project_id TEXT NOT NULL REFERENCES links(project_id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        parent_id TEXT,
        position REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('task', 'section')),
        text TEXT NOT NULL,
        completed INTEGER NOT NULL CHECK (completed IN (0, 1)),
        note TEXT,
        due_json TEXT,
        assignees_json TEXT NOT NULL,
        h_text TEXT NOT NULL,
        h_completed TEXT NOT NULL,
        h_note TEXT NOT NULL,
        h_due TEXT NOT NULL,
        h_assignees TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, task_id)
      ) WITHOUT ROWID;
      CREATE INDEX tasks_by_parent ON tasks (project_id, parent_id, position);
      CREATE TABLE intents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL REFERENCES links(project_id) ON DELETE CASCADE,
        ref TEXT NOT NULL,
        parent_id TEXT,
        after_id TEXT,
        text TEXT NOT NULL,
        batch TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX intents_by_project ON intents (project_id, id);
      CREATE TABLE conflicts (
        project_id TEXT NOT NULL REFERENCES links(project_id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        field TEXT NOT NULL CHECK (field IN ('text', 'completed', 'note', 'due', 'assignees')),
        base_json TEXT NOT NULL,
        local_json TEXT NOT NULL,
        remote_json TEXT NOT NULL,
        winner TEXT NOT NULL CHECK (winner IN ('local', 'remote')),
        at INTEGER NOT NULL,
        PRIMARY KEY (project_id, task_id, field)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'poll state and run log (daemon, issue 5)',
    sql: `
      CREATE TABLE poll_state (
        project_id TEXT PRIMARY KEY REFERENCES links(project_id) ON DELETE CASCADE,
        list_hash TEXT NOT NULL,
        last_polled_at INTEGER NOT NULL,
        last_changed_at INTEGER NOT NULL,
        interval_ms INTEGER NOT NULL,
        rotation_cursor TEXT
      );
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('sync', 'watch', 'link', 'pull')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        outcome TEXT CHECK (outcome IN ('ok', 'conflicts', 'guard', 'failed', 'partial')),
        counts_json TEXT NOT NULL DEFAULT '{}',
        files_json TEXT NOT NULL DEFAULT '[]',
        error TEXT
      );
    `,
  },
  {
    version: 3,
    name: 'learned request rate per token (issue 11)',
    sql: `
      -- token_key: a hash of the token (src/taskade/token-key.ts), never the token itself.
      -- budget_per_minute: the configured budget the rate was learned under; another budget
      -- starts afresh.
      CREATE TABLE rate_memory (
        token_key TEXT PRIMARY KEY,
        budget_per_minute INTEGER NOT NULL,
        rate_per_minute INTEGER NOT NULL,
        limited_at_per_minute INTEGER,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: "project members' handles (assignees, issue 10)",
    sql: `
      -- handles_json: the members' handles as GET /projects/{id}/members gave them at fetched_at;
      -- checked_json: the file's other @words seen then, known not to be members (no refetch for them).
      CREATE TABLE project_members (
        project_id TEXT PRIMARY KEY,
        handles_json TEXT NOT NULL,
        checked_json TEXT NOT NULL DEFAULT '[]',
        fetched_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'conflict markers owed to the file (issue 13)',
    sql: `
      -- 0: the loser's value was kept before the winner was pushed, but the file holding its
      -- marker is not written yet (being edited, changed meanwhile); the next pass writes it.
      ALTER TABLE conflicts ADD COLUMN marker_written INTEGER NOT NULL DEFAULT 1 CHECK (marker_written IN (0, 1));
    `,
  },
  {
    version: 6,
    name: "the user's own block ids as task anchors (issue 10)",
    sql: `
      -- anchor: a block id the user wrote last on an item's line (\`^abc\`, without \`^\`); the
      -- item carries no ^tk- id, so this maps it to its task.
      CREATE TABLE anchors (
        project_id TEXT NOT NULL,
        anchor TEXT NOT NULL,
        task_id TEXT NOT NULL,
        PRIMARY KEY (project_id, anchor)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'drop the per-field hashes of base rows (written, never read; issue 8)',
    sql: `
      ALTER TABLE tasks DROP COLUMN h_text;
      ALTER TABLE tasks DROP COLUMN h_completed;
      ALTER TABLE tasks DROP COLUMN h_note;
      ALTER TABLE tasks DROP COLUMN h_due;
      ALTER TABLE tasks DROP COLUMN h_assignees;
    `,
  },
  {
    version: 8,
    name: 'assignee writes in flight (issue 9)',
    sql: `
      -- An assignee change sent in several requests (a DELETE per handle that goes, then a PUT),
      -- recorded before the first: from_json is the set Taskade held (read), to_json the set
      -- written. The row goes once the write completed, or once the base records the task's set.
      CREATE TABLE assignee_writes (
        project_id TEXT NOT NULL REFERENCES links(project_id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        from_json TEXT NOT NULL,
        to_json TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (project_id, task_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'tasks moved to another linked file, created there (issue 9)',
    sql: `
      -- A task whose item went to another linked file: created in that file's project as
      -- to_task_id, and still to be deleted here (as a create intent, a side effect in flight:
      -- the row goes once the task is gone from this project's base).
      CREATE TABLE moves (
        project_id TEXT NOT NULL REFERENCES links(project_id) ON DELETE CASCADE,
        task_id TEXT NOT NULL,
        to_project_id TEXT NOT NULL,
        to_task_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (project_id, task_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: 'a create answered while its file could not be written (issue 11)',
    sql: `
      -- task_id, answer_json: Taskade answered the create (task_id) and holds answer_json (the
      -- task's values, as the run that made it left them), but the file could not be written
      -- (being edited, changed meanwhile), so the item has no id yet. The next run adopts the
      -- task by its id, with those values as its base: nothing is sent or read twice.
      ALTER TABLE intents ADD COLUMN task_id TEXT;
      ALTER TABLE intents ADD COLUMN answer_json TEXT;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.length;

export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Apply the steps of `migrations` that are newer than the database, in order, one transaction
 * each. Takes the list as a parameter so a test can build an old database with a prefix of it.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  for (const step of migrations) {
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the
    // same old database (say `status` beside a starting daemon) cannot both apply a step.
    db.transaction(() => {
      const version = readSchemaVersion(db);
      if (step.version <= version) return;
      if (step.version !== version + 1) {
        throw new Error(`migration list has a gap: database is at version ${version}, next step is ${step.version}`);
      }
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_meta (version, name) VALUES (?, ?)').run(step.version, step.name);
      // PRAGMA takes no bound parameters; the version is an integer from our own list.
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
  return readSchemaVersion(db);
}
