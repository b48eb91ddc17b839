/**
 * The engine's edges (DESIGN §3). The engine reads and writes the three things it syncs only
 * through these ports, so its decisions can be tested on strict in-memory fakes (no network, disk
 * or clock), and the real adapters stay thin: `TaskadeClient` is a `TaskadePort`, `Journal` is a
 * `JournalPort`, `fsNotes(root)` is the `NotesPort` over the notes folder.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isIgnoredFolder } from '../config/ignored.js';
import type { Journal } from '../journal/index.js';
import type { TaskadeClient } from '../taskade/index.js';
import { readNote } from './read-note.js';
import { writeFileIfUnchanged } from './write-file.js';

/** The Taskade calls the engine makes (and `listMembers`, for assignee handles). */
export type TaskadePort = Pick<
  TaskadeClient,
  | 'listTasks'
  | 'createTasks'
  | 'updateTaskText'
  | 'setCompleted'
  | 'moveTask'
  | 'deleteTask'
  | 'getNote'
  | 'putNote'
  | 'deleteNote'
  | 'getDate'
  | 'putDate'
  | 'deleteDate'
  | 'getAssignees'
  | 'putAssignees'
  | 'deleteAssignee'
  | 'listMembers'
>;

/** The journal calls the engine makes: links, the base, intents, conflicts and the run log. */
export type JournalPort = Pick<
  Journal,
  | 'transaction'
  | 'getLinkByPath'
  | 'getLinkByProject'
  | 'listLinks'
  | 'upsertLink'
  | 'moveLink'
  | 'removeLink'
  | 'setFileHash'
  | 'hasBase'
  | 'getBase'
  | 'replaceBase'
  | 'listIntents'
  | 'lastRuns'
  | 'addIntent'
  | 'resolveIntent'
  | 'answerIntent'
  | 'dropIntent'
  | 'putAssigneeWrite'
  | 'listAssigneeWrites'
  | 'dropAssigneeWrite'
  | 'listConflicts'
  | 'putConflict'
  | 'clearConflict'
  | 'startRun'
  | 'finishRun'
  | 'getMembers'
  | 'putMembers'
  | 'listAnchors'
  | 'putAnchor'
  | 'putMove'
  | 'listMoves'
  | 'dropMove'
>;

/**
 * The notes folder. Paths are relative to the notes root and `/`-separated. `read` is strict (a
 * note that is not valid UTF-8, or whose real path leaves the root, throws a `SyncError`); `peek`
 * is the cheap lenient look at a file's head that discovery uses to find front-matter links.
 */
export interface NotesPort {
  /** Every file under the root, except the ignored folders (the state dir, `.git`, `node_modules`). */
  list(): string[];
  exists(path: string): boolean;
  read(path: string): string;
  /** The first `bytes` of a file, decoded leniently; '' when it cannot be read. */
  peek(path: string, bytes?: number): string;
  /**
   * Replaces the file with `text` atomically, only if it still hashes to `expectedHash`; false
   * (nothing written) when it changed meanwhile. Throws when it cannot be written at all.
   */
  writeIfUnchanged(path: string, text: string, expectedHash: string): boolean;
}

/** One clock for the engine, the request queue and the daemon (see `model/clock.ts`). */
export type { Clock } from '../model/clock.js';

/** The notes folder on disk. */
export function fsNotes(root: string, stateDir: string): NotesPort {
  return {
    list: () => [...walk(root, stateDir)],
    exists: (path) => existsSync(join(root, path)),
    read: (path) => readNote(root, path),
    peek(path, bytes = 16_384) {
      try {
        return readFileSync(join(root, path), 'utf8').slice(0, bytes);
      } catch {
        return '';
      }
    },
    writeIfUnchanged: (path, text, expectedHash) => writeFileIfUnchanged(join(root, path), text, expectedHash),
  };
}

function* walk(root: string, stateDir: string): Generator<string> {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (abs !== stateDir && !isIgnoredFolder(e.name)) stack.push(abs);
      } else if (e.isFile()) {
        yield relative(root, abs).split(sep).join('/');
      }
    }
  }
}
