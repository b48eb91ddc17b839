import type { ConflictMarker, LocalChange } from '../model/local-change.js';
import type { Due, Field, RemoteTaskRecord, TaskKind, TaskRecord } from '../model/task.js';
import type { Carried, MovedOut } from './moved.js';

/**
 * One item of the local outline as the planner sees it.
 * Local ids: a task whose block id resolved to a Taskade id has `id` = that id; an item without a
 * (resolvable) id has `id = 'new:<key>'` (`NEW_ID_PREFIX`). `parentId` refers to those ids
 * (sections are parents too).
 */
export interface LocalTask extends TaskRecord {
  /** Outline key, used to address the item in `LocalChange`s. */
  key: string;
  /** Conflict markers currently written beside the item. */
  conflicts: ConflictMarker[];
}

/** A conflict recorded in the journal and not yet resolved by the user. */
export interface PendingConflict {
  taskId: string;
  field: Field;
  winner: 'local' | 'remote';
  /**
   * The marker was never written (the winner was pushed while the file could not be written):
   * the conflict's values, so the marker is written now instead of the missing marker reading
   * as "the user resolved it".
   */
  owed?: { base: unknown; local: unknown; remote: unknown };
  /**
   * The value the conflict's winner held (the journal's row): while the marker stays, the file
   * showing it over a Taskade still at the base means the winner's push failed, and it goes up.
   */
  won?: unknown;
}

export interface PlanOptions {
  /**
   * Which side's value is kept on the task when both sides changed one field differently (or,
   * with no journal, when the two sides simply differ). The other value becomes a marker.
   * @default 'remote'
   */
  conflictWinner: 'remote' | 'local';
  /**
   * Stop the run when one side would lose more than `share` of the base's tasks, and at least
   * `min` tasks. @default { share: 0.5, min: 5 }
   */
  deleteGuard: { share: number; min: number };
  /** Apply the plan even when a guard fired. @default false */
  force: boolean;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = Object.freeze({
  conflictWinner: 'remote',
  deleteGuard: Object.freeze({ share: 0.5, min: 5 }),
  force: false,
});

export interface PlanInput {
  /** The journal's snapshot for this project; `null` = no journal (first sync, or state lost). */
  base: TaskRecord[] | null;
  /** The parsed file, in pre-order. */
  local: LocalTask[];
  /**
   * The remote task list, in pre-order. `note`/`due`/`assignees` `undefined` = not read this run:
   * taken as equal to the base; with no base entry, as equal to the local value (no write either way).
   */
  remote: RemoteTaskRecord[];
  pending: PendingConflict[];
  options: PlanOptions;
  /**
   * Tasks of this project whose items now sit in another linked file (see `moved.ts`): never
   * kept here by a Taskade edit or move, deleted only once `created` there; their base rows stay
   * meanwhile (`Plan.held`). @default none
   */
  movedOut?: MovedOut;
  /**
   * Items (by outline key) that came from another linked file: merged with that project's task
   * over its base row, and created in this project. @default none
   */
  carried?: ReadonlyMap<string, Carried>;
}

/**
 * Operations on the Taskade project, valid when applied in order: parents before children,
 * anchors before what is placed after them. `parent`/`after`/`id` may name a `ref` created
 * earlier in the same list. `after: null` = first child of `parent` (`null` = top level).
 */
export type RemoteOp =
  | { op: 'create'; ref: string; parent: string | null; after: string | null; kind: TaskKind; text: string }
  | { op: 'update-text'; id: string; text: string }
  | { op: 'set-completed'; id: string; completed: boolean }
  | { op: 'move'; id: string; parent: string | null; after: string | null }
  /** Deletes the task with its subtree; anything of the subtree that survives was moved out before. */
  | { op: 'delete'; id: string }
  | { op: 'set-note'; id: string; note: string | null }
  | { op: 'set-due'; id: string; due: Due | null }
  | { op: 'set-assignees'; id: string; assignees: string[]; previous: string[] };

export interface Conflict {
  taskId: string;
  field: Field;
  /** The journal's value, `null` when there was no base entry. */
  base: unknown;
  local: unknown;
  remote: unknown;
  winner: 'local' | 'remote';
}

/**
 * Both sides moved one task to different places. The winner's place is taken; nothing is written
 * into the file for it (a position has no value worth keeping), the report lists it.
 */
export interface MoveConflict {
  taskId: string;
  base: { parent: string | null; after: string | null };
  local: { parent: string | null; after: string | null };
  remote: { parent: string | null; after: string | null };
  winner: 'local' | 'remote';
}

export interface PlanGuard {
  reason: 'mass-delete' | 'empty-side';
  /** The side that would lose the tasks (`empty-side`: the side that is empty). */
  side: 'local' | 'remote';
  deletes: number;
  /** Number of tasks in the base. */
  total: number;
}

export interface PlanStats {
  creates: number;
  /** update-text, set-completed, set-note, set-due and set-assignees operations. */
  updates: number;
  moves: number;
  /** delete operations (each removes a subtree). */
  deletes: number;
  localChanges: number;
}

export interface Plan {
  /** Valid when applied in order (see `RemoteOp`). */
  remote: RemoteOp[];
  /** Applied in order by the renderer. */
  local: LocalChange[];
  /** New conflicts this run (their markers are among `local`). */
  conflicts: Conflict[];
  /** Position conflicts this run (report only). */
  moveConflicts: MoveConflict[];
  /** Pending conflicts that end this run: the user removed the marker, or the task is gone. */
  resolved: Array<{ taskId: string; field: Field }>;
  /** Pending conflicts whose marker is still in the file: those fields are left alone. */
  stillPending: PendingConflict[];
  /**
   * Tasks deleted remotely but edited locally come back remotely as a new task: `id` is the old
   * Taskade id (still in the file), `ref` the create ref that replaces it in `target`.
   */
  restored: Array<{ id: string; ref: string }>;
  /**
   * Tasks whose base rows stay as stored: moved to another file and not created there yet, and
   * what deletes held back for them would have removed (`movedOut`).
   */
  held: string[];
  /** The carried items (`carried`) and their id in this project: a create ref, or the task's id. */
  carried: Array<{ key: string; id: string }>;
  /**
   * The merged tree both sides will hold, in pre-order. Created tasks have `id` = their ref until
   * the engine learns the real id. A still-pending field holds the base value (the base does not
   * advance past an unresolved conflict). The engine journals rows as their operations succeed.
   */
  target: TaskRecord[];
  /** When set and `!options.force`, `remote` and `local` are empty: nothing may happen. */
  guard: PlanGuard | null;
  stats: PlanStats;
}
