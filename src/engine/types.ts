import type { ResolvedConfig } from '../config/index.js';
import type { Diagnostic } from '../markdown/index.js';
import type { ExitCode } from '../model/exit-codes.js';
import type { FailureKind, FileOutcome, RunOutcome } from '../model/outcome.js';
import type { Conflict, PendingConflict, Plan } from '../reconcile/types.js';
import type { TaskList } from '../taskade/index.js';
import type { TaskDetails } from './remote-view.js';
import type { Clock, JournalPort, NotesPort, TaskadePort } from './ports.js';

export interface LogEvent {
  level: 'info' | 'warn' | 'error' | 'debug';
  /** 'run-start' | 'run-end' | 'remote-create' | 'remote-update' | 'remote-move' | 'remote-delete' | 'local-write' | 'conflict' | 'skip-file' | 'guard' | 'held' | 'adopt' | 'request-failed' | … */
  type: string;
  file?: string;
  line?: number;
  taskId?: string;
  message: string;
  data?: Record<string, unknown>;
}

/** One line per applied change (the daemon prints them; `sync` prints them unless --quiet/--json). */
export interface Logger {
  event(e: LogEvent): void;
}

export interface EngineDeps {
  /** Absolute notes root (config.root). */
  root: string;
  config: ResolvedConfig;
  journal: JournalPort;
  client: TaskadePort;
  /** The notes folder. @default fsNotes(config.root, config.stateDir) */
  notes?: NotesPort;
  logger: Logger;
  /** Stamps the journal. @default systemClock */
  clock?: Pick<Clock, 'now'>;
}

export interface SyncRequest {
  /** Paths relative to root; default: every linked file. */
  files?: string[];
  dryRun?: boolean;
  force?: boolean;
  /** Task lists the poller already read this cycle (projectId → list): not read again. */
  remoteLists?: Map<string, TaskList>;
  /** projectId → task ids whose note/date/assignees to read even if unchanged (the daemon's rotation). */
  subresourceReads?: Map<string, string[]>;
  /**
   * projectId → task id → its note, date and assignees as the caller read them just before the
   * pass (the daemon reads them in the background, outside the lock, and hands over the ones that
   * differ from the base while no pass has touched the project since): taken as read in this pass,
   * not read again.
   */
  subresourceValues?: Map<string, Map<string, TaskDetails>>;
  /** true = the user is editing this file: don't write it now (remote changes wait; base not advanced for them). */
  holdLocalWrite?: (path: string) => boolean;
  /**
   * A first sync of an existing project (no journal yet) writes the outline — text, completion,
   * nesting, order — as soon as the task list is read, then reads the notes, dates and assignees
   * of the tasks the file did not have and writes them in a few more passes, with progress events
   * (`type: 'progress'`). A field not read yet is never pushed. One-shot commands set it.
   */
  streamDetails?: boolean;
  /**
   * With `streamDetails`: the run does not read the details itself; the report's `detailsLeft`
   * lists them (the daemon reads them in the background and hands over what differs).
   */
  detailsLater?: boolean;
  /** Stop between requests; what succeeded is committed. */
  signal?: AbortSignal;
  /**
   * Asked before each file after the first: true ends the run there, as if those files had not
   * been asked for (they are the report's `unfinished`). The daemon gives way to a save this way.
   */
  giveWay?: () => Promise<boolean>;
  /** What the run log records this pass as. @default 'sync' */
  runKind?: 'sync' | 'watch' | 'link' | 'pull';
}

export interface FileReport {
  path: string;
  projectId: string | null;
  outcome: FileOutcome;
  remoteOps: number;
  localChanges: number;
  /** Conflicts found in this run. */
  conflicts: Conflict[];
  /** Conflicts from earlier runs whose marker is still in the file (they keep the exit code at 3). */
  pending?: PendingConflict[];
  diagnostics: Array<Diagnostic & { file: string }>;
  error?: string;
  /** Why the file failed: Taskade failing or unreachable (exit 6), or something else (exit 1). */
  failure?: FailureKind;
  /**
   * The hash of the project's task list as this pass left it (`hashTaskList` of the base), when
   * the pass ended with the file, Taskade and the base agreeing (`synced` or `unchanged`): a
   * later list read with this hash holds nothing new.
   */
  listHash?: string;
  /**
   * When a create held back in this pass (sent by a run that stopped; Taskade may still apply it)
   * may be made again: the item is created then unless its task shows up (epoch ms, the earliest of
   * them). The daemon syncs the file again at that time; nothing else would (the list and the file
   * are unchanged).
   */
  recheckAt?: number;
  /** The plan (only for dry runs, and for --json). */
  plan?: Plan;
  /**
   * Dry runs only: the file as it is and as this run would write it (before Taskade's answers:
   * new tasks have no ids yet), and each task's text by id: the file's (else Taskade's), and
   * Taskade's (else the base's), to name a task and what a rename replaces.
   */
  preview?: { before: string; after: string; texts: Record<string, string>; taskadeTexts: Record<string, string> };
}

export interface SyncReport {
  files: FileReport[];
  /** Requests this run made (logical requests; the queue's retries are not counted). */
  requests: { reads: number; writes: number };
  outcome: RunOutcome;
  exitCode: ExitCode;
  /** Set when the run was a dry run: nothing was changed anywhere. */
  dryRun: boolean;
  /** What ended the run early (token refused, Taskade unreachable), if anything. */
  error?: string;
  /** Files not started because the run gave way (`SyncRequest.giveWay`), in order. */
  unfinished?: string[];
  /** `detailsLater`: per file of a streamed first sync, the tasks whose details are still to read. */
  detailsLeft?: Array<{ path: string; projectId: string; ids: string[] }>;
}
