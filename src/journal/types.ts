import type { Field, TaskRecord } from '../model/task.js';

/** One linked markdown file ⇄ one Taskade project. */
export interface Link {
  /** Relative to the notes root, with `/` separators. */
  path: string;
  projectId: string;
  /** Hash of the file content as last synced (`hashContent`), or `null` before the first sync. */
  fileHash: string | null;
  /** When the link was first recorded (epoch ms). */
  linkedAt: number;
  /** When the link row last changed (epoch ms). */
  updatedAt: number;
}

/**
 * A create that was (or is about to be) sent to Taskade. Creates are not idempotent on the
 * server, so the row is written before the POST and matched against the remote list after a
 * crash or a lost response (DESIGN §3).
 */
export interface Intent {
  id: number;
  projectId: string;
  /** The local outline key of the item being created. */
  ref: string;
  parentId: string | null;
  afterId: string | null;
  text: string;
  /** Groups the intents sent in one POST (at most 20 tasks per request). */
  batch: string;
  at: number;
  /**
   * Set when Taskade answered the create but the file could not be written with the task's id
   * (being edited, changed meanwhile): the task, and its values as the run left them on Taskade.
   */
  answer?: IntentAnswer;
}

export interface IntentAnswer {
  taskId: string;
  record: Omit<TaskRecord, 'id'>;
}

/**
 * An assignee change sent in more than one request (a DELETE per handle that goes, then a PUT),
 * recorded before the first of them: a run that stops between them leaves Taskade with a set
 * between `from` and `to`, which the next run recognises as its own (reconcile/in-flight.ts).
 */
export interface AssigneeWrite {
  projectId: string;
  taskId: string;
  /** The set Taskade held when the write began (read in that run). */
  from: string[];
  /** The set being written. */
  to: string[];
  at: number;
}

/** A task moved to another linked file and created there, not yet deleted here. */
export interface MoveRow {
  projectId: string;
  taskId: string;
  toProjectId: string;
  toTaskId: string;
  at: number;
}

export interface ConflictRow {
  projectId: string;
  taskId: string;
  field: Field;
  base: unknown;
  local: unknown;
  remote: unknown;
  winner: 'local' | 'remote';
  at: number;
  /** Kept before the winner was pushed; the file does not show its marker yet. */
  markerOwed?: true;
}

/** What the poller remembers per project (issue 5). */
export interface PollState {
  /** Hash of the last fetched task list (ids, parents, order, text, completed). */
  listHash: string;
  lastPolledAt: number;
  lastChangedAt: number;
  /** The current poll interval: short for active projects, longer for idle ones. */
  intervalMs: number;
  /** The task id where the next budgeted sub-resource rotation resumes, or `null` to start over. */
  rotationCursor: string | null;
}

export type RunKind = 'sync' | 'watch' | 'link' | 'pull';
export type RunOutcome = 'ok' | 'conflicts' | 'guard' | 'failed' | 'partial';

export interface RunRow {
  id: number;
  kind: RunKind;
  startedAt: number;
  /** `null` while the run is going on, or when the process died during the run. */
  finishedAt: number | null;
  outcome: RunOutcome | null;
  counts: Record<string, number>;
  files: string[];
  error: string | null;
}

/** What the request queue learned about one token's rate limit (keyed by a hash of the token). */
export interface RateMemory {
  /** The configured `requestsPerMinute` it was learned under. */
  budgetPerMinute: number;
  /** The rate the last run ended at. */
  ratePerMinute: number;
  /** The rate at which the last 429 came, or null when none was seen. */
  limitedAtPerMinute: number | null;
  updatedAt: number;
}

/** The project's member handles as last read (`GET /projects/{id}/members`), for telling assignees from prose. */
export interface ProjectMembers {
  handles: string[];
  /** `@word`s of the file seen at that read that are not members: they do not make the next run read again. */
  checked: string[];
  fetchedAt: number;
}
