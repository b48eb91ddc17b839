import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LATEST_VERSION, readSchemaVersion } from './migrations.js';

/** What `doctor` reads from a journal without changing it (no migration, no WAL checkpoint). */
export interface JournalProbe {
  exists: boolean;
  /** The file's schema version (PRAGMA user_version), null when it does not exist or cannot be read. */
  version: number | null;
  /** The version this taskade-sync writes. */
  latest: number;
  /** Root-relative paths of the linked files with their projects (empty when none or unreadable). */
  links: Array<{ path: string; projectId: string }>;
  /** Why the file cannot be read as a journal, if it cannot. */
  error?: string;
}

export function probeJournal(path: string): JournalProbe {
  const probe: JournalProbe = { exists: existsSync(path), version: null, latest: LATEST_VERSION, links: [] };
  if (!probe.exists) return probe;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    probe.version = readSchemaVersion(db);
    if (probe.version >= 1 && probe.version <= LATEST_VERSION)
      probe.links = (db.prepare('SELECT path, project_id FROM links ORDER BY path').all() as LinkRow[]).map((r) => ({
        path: r.path,
        projectId: r.project_id,
      }));
  } catch (error) {
    probe.error = (error as Error).message;
  } finally {
    db?.close();
  }
  return probe;
}

interface LinkRow {
  path: string;
  project_id: string;
}
