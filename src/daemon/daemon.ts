import type { Logger, SyncReport, SyncRequest } from '../engine/types.js';
import { RequestCounter } from '../engine/request-counter.js';
import type { TaskDetails } from '../engine/remote-view.js';
import { TaskadeError } from '../taskade/errors.js';
import { DetailReader } from './detail-reader.js';
import { SUBRESOURCE_READS_PER_TASK } from './poll-policy.js';
import type { Journal } from '../journal/index.js';
import type { TaskList } from '../taskade/client.js';
import { EXIT } from '../model/exit-codes.js';
import { PollShare } from './poll-share.js';
import { classifyFailure, outageDelayMs, retryAfterOf } from './classify.js';
import { EventCoalescer, type RawEventKind, type SettledEvent } from './coalesce.js';
import { EditActivity } from './edit-activity.js';
import { Poller, type PollRead } from './poller.js';
import { PassScheduler, type PassOutcome, type PassWork } from './scheduler.js';
import type { Clock } from '../model/clock.js';
import type { FileWatcher } from './watcher.js';

/** The `watch` keys of the config plus the budget; see sync.config.example.json. */
export interface DaemonSettings {
  debounceMs: number;
  quietMs: number;
  pollMinMs: number;
  pollMaxMs: number;
  subresourceReadsPerPoll: number;
  requestsPerMinute: number;
  /** Share of the budget the poller may use; the rest is kept for writes. @default 0.5 */
  pollShare?: number;
}

export type DaemonJournal = Pick<
  Journal,
  | 'listLinks'
  | 'getLinkByPath'
  | 'getLinkByProject'
  | 'moveLink'
  | 'removeLink'
  | 'getPollState'
  | 'putPollState'
  | 'startRun'
  | 'finishRun'
  | 'getBaseTasks'
>;

/**
 * Everything the daemon touches outside itself, injected: the engine pass, Taskade list reads,
 * the lock, the watcher and the files. `src/cli/commands/watch.ts` wires the real ones; the unit
 * tests wire fakes.
 */
export interface DaemonEdges {
  /** One engine pass (`syncOnce` with the engine's deps bound). */
  sync(request: SyncRequest): Promise<SyncReport>;
  /** Read a project's whole task list at background priority. */
  listTasks(projectId: string, signal: AbortSignal): Promise<TaskList>;
  /** Read a task's note, date and assignees at background priority, counting what is sent. */
  readTaskDetails(
    projectId: string,
    taskId: string,
    counter: RequestCounter,
    signal: AbortSignal,
  ): Promise<TaskDetails>;
  /** Requests the client has sent so far (the request queue's counter). */
  requestsSent(): number;
  /** Take the state-dir lock for one pass (waits a bounded time, else throws LOCKED). */
  lock(): Promise<{ release(): void }>;
  watch(onEvent: (kind: RawEventKind, relPath: string) => void, onError: (e: Error) => void): Promise<FileWatcher>;
  /** The file's text, or null when it does not exist. */
  readFile(relPath: string): Promise<string | null>;
  fileExists(relPath: string): boolean;
  hashContent(text: string): string;
  /** The project a file links to (its front matter, else the config's mappings), or null. */
  projectOf(relPath: string, content: string): string | null;
}

export interface DaemonOptions {
  settings: DaemonSettings;
  journal: DaemonJournal;
  edges: DaemonEdges;
  logger: Logger;
  timers: Clock;
}

export interface DaemonExit {
  exitCode: number;
  message?: string;
}

/** Counters for tests, `status` and the benchmark. */
export interface DaemonCounters {
  passes: number;
  echoes: number;
  userEdits: number;
  polls: number;
}

/**
 * The daemon: file events and poll timers feed one scheduler, which runs engine passes one at a
 * time under the state-dir lock. See DESIGN §3 and the README's daemon section.
 *
 * - A settled file event is an echo when the file's hash equals the journal's (the engine wrote
 *   it, or nothing changed): no pass. Events are examined only between passes, after the engine
 *   committed the hash of what it wrote.
 * - A user edit starts the file's quiet period: the engine may push its changes at once but may
 *   not rewrite the file until it is quiet; a file the engine held is synced again then.
 * - The poller reads due projects' lists at the start of a pass (under the lock) and hands them
 *   to the engine, so nothing is read twice.
 * - Taskade unreachable → the pass's work is kept and retried with a doubling delay; the token
 *   refused → the daemon stops with exit 5.
 */
export class Daemon {
  readonly counters: DaemonCounters = { passes: 0, echoes: 0, userEdits: 0, polls: 0 };
  readonly done: Promise<DaemonExit>;

  private readonly scheduler: PassScheduler;
  private readonly coalescer: EventCoalescer;
  private readonly activity: EditActivity;
  private readonly budget: PollShare;
  private readonly poller: Poller<TaskList>;
  private watcher: FileWatcher | null = null;
  private cancelPoll: (() => void) | null = null;
  private readonly quietTimers = new Map<string, () => void>();
  /** Projects whose last pass left work (failed, held, conflicts, guard): polled into a pass every time. */
  private readonly unsettled = new Set<string>();
  private readonly lossTimers = new Map<string, () => void>();
  /** Files with a create held back (Taskade may still apply it): synced again when it may be made. */
  private readonly recheckTimers = new Map<string, () => void>();
  private readonly pollRequested = new Set<string>();
  /** Projects whose last poll Taskade refused (404 …): warned about once. */
  private readonly unreadable = new Set<string>();
  /** Notes, dates and assignees read outside the passes (the rotation, a first sync's details). */
  private readonly reader: DetailReader;
  /** Requests the reader has sent (they are paid for when queued, not by the pass they overlap). */
  private readerSent = 0;
  /** Of those, the ones not in the run log yet (logged with the next poll's `watch` run). */
  private readerUnlogged = 0;
  /** The daemon's passes that touched each project (see `generation`). */
  private readonly generations = new Map<string, number>();
  /** Values the reader found different from the base, waiting for their project's pass. */
  private readonly readValues = new Map<string, { values: Map<string, TaskDetails>; generation: string }>();
  /** Values handed to a pass that could not write the file (being edited): read again once it is quiet. */
  private readonly heldDetails = new Map<string, { projectId: string; ids: string[] }>();
  private eventChain: Promise<void> = Promise.resolve();
  private settledQueue: SettledEvent[] = [];
  private lostQueue: Array<{ path: string; projectId: string }> = [];
  private currentPass: Promise<PassOutcome> | null = null;
  private outageFailures = 0;
  private stopping = false;
  private finish!: (exit: DaemonExit) => void;

  constructor(private readonly o: DaemonOptions) {
    const s = o.settings;
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.activity = new EditActivity(s.quietMs);
    // Unused poll budget is saved up for one idle interval (at least a minute), so a project
    // polled every pollMaxMs can spend its whole share on its rotation when it comes due; the
    // request queue still paces the burst, and writes overtake background reads there.
    this.budget = new PollShare({
      requestsPerMinute: s.requestsPerMinute,
      share: s.pollShare,
      burstMs: Math.max(60_000, s.pollMaxMs),
      now: o.timers.now(),
    });
    this.poller = new Poller<TaskList>({
      store: o.journal,
      listTasks: (id, signal) => o.edges.listTasks(id, signal),
      settings: { minMs: s.pollMinMs, maxMs: s.pollMaxMs, subresourceReadsPerPoll: s.subresourceReadsPerPoll },
      budget: this.budget,
    });
    this.reader = new DetailReader({
      read: (projectId, ids, signal) => this.readDetails(projectId, ids, signal),
      base: (projectId, ids) => o.journal.getBaseTasks(projectId, ids),
      generation: (projectId) => this.generation(projectId),
      differ: (projectId, values, generation) => this.detailsDiffer(projectId, values, generation),
      failed: (projectId, error) =>
        this.log(
          'debug',
          'details-failed',
          `notes, dates and assignees not read: ${(error as Error).message}; read again once Taskade answers`,
          {
            file: o.journal.getLinkByProject(projectId)?.path,
          },
        ),
    });
    this.coalescer = new EventCoalescer({
      debounceMs: s.debounceMs,
      timers: o.timers,
      onSettled: (e) => this.enqueueSettled(e),
    });
    this.scheduler = new PassScheduler({
      timers: o.timers,
      run: (work, signal) => {
        const pass = this.runPass(work, signal);
        this.currentPass = pass;
        return pass.finally(() => {
          this.currentPass = null;
          // Events that settled during the pass: judge them now (their follow-up merges into one).
          if (this.settledQueue.length > 0 || this.lostQueue.length > 0) void this.drainEvents();
        });
      },
      beforePass: () => this.drainEvents(),
      onStop: (outcome) => void this.shutdown({ exitCode: outcome.exitCode, message: outcome.message }),
    });
  }

  /** Starts watching, then runs the start-up pass over every linked file. */
  async start(): Promise<void> {
    this.watcher = await this.o.edges.watch(
      (kind, path) => this.coalescer.push(kind, path),
      (error) => this.log('warn', 'watch-error', `the file watcher reported: ${error.message}`),
    );
    const links = this.o.journal.listLinks();
    const s = this.o.settings;
    const watching =
      links.length === 0
        ? 'watching for changes; the first pass links every file whose front matter names a project'
        : `watching ${links.length} linked file${links.length === 1 ? '' : 's'} (and any newly linked one)`;
    this.log(
      'info',
      'daemon-start',
      `${watching}; polling each project every ${seconds(s.pollMinMs)}–${seconds(s.pollMaxMs)} within ` +
        `${Math.round(this.budget.perMinute)} of ${s.requestsPerMinute} requests/min`,
    );
    this.scheduler.request({ full: true });
  }

  /** Graceful stop: the request in flight finishes, the journal is committed, exit 0. */
  async stop(): Promise<void> {
    await this.shutdown({ exitCode: EXIT.OK });
  }

  /** Resolves when no event is pending, no pass runs or waits to run. (Tests and the demo.) */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      await this.eventChain;
      await this.scheduler.whenIdle();
      await this.eventChain;
      await this.reader.whenIdle();
      const quiet = this.coalescer.size === 0 && this.settledQueue.length === 0 && this.lostQueue.length === 0;
      if (quiet && this.scheduler.state !== 'running' && this.currentPass === null && this.reader.idle) return;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Ask for a poll of these projects now, whatever their interval (the demo's "look now"). */
  pollNow(projectIds: string[]): void {
    this.scheduler.request({ poll: projectIds });
  }

  private async shutdown(exit: DaemonExit): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.cancelPoll?.();
    this.cancelPoll = null;
    for (const cancel of [...this.quietTimers.values(), ...this.lossTimers.values(), ...this.recheckTimers.values()]) {
      cancel();
    }
    this.quietTimers.clear();
    this.recheckTimers.clear();
    this.lossTimers.clear();
    this.coalescer.dispose();
    await this.watcher?.close();
    await this.reader.stop();
    await this.scheduler.stop();
    await this.eventChain;
    if (this.readerUnlogged > 0) {
      const at = this.o.timers.now();
      const runId = this.o.journal.startRun({ kind: 'watch', at });
      this.o.journal.finishRun(runId, { at, outcome: 'ok', counts: { reads: this.readerUnlogged, writes: 0 } });
      this.readerUnlogged = 0;
    }
    if (exit.exitCode === EXIT.OK) this.log('info', 'daemon-stop', 'stopped; the journal is committed');
    else this.log('error', 'daemon-stop', exit.message ?? `stopped with exit code ${exit.exitCode}`);
    this.finish(exit);
  }

  // ── passes ────────────────────────────────────────────────────────────────────────────────

  private async runPass(work: PassWork, signal: AbortSignal): Promise<PassOutcome> {
    this.counters.passes += 1;
    let lock: { release(): void } | null;
    try {
      lock = await unlessAborted(this.o.edges.lock(), signal);
    } catch (error) {
      return this.failed(error);
    }
    // Stopped while waiting for a one-shot `sync` to let go of the lock: stop now, run nothing.
    if (lock === null) return { kind: 'done' };
    const sentBefore = this.o.edges.requestsSent();
    const readerSentBefore = this.readerSent;
    let reserved = 0;
    let given = new Map<string, Map<string, TaskDetails>>();
    /** Projects whose poll this pass gave back (it gave way to a save): still requested. */
    let askedAgain = new Set<string>();
    try {
      const links = this.o.journal.listLinks();
      const pathOf = new Map(links.map((l) => [l.projectId, l.path]));
      const pollIds = (work.full ? links.map((l) => l.projectId) : [...work.poll]).filter((id) => pathOf.has(id));
      const now = this.o.timers.now();
      // A pass of other work gives way to a save between its steps (a list read, a file): what it
      // did not reach is asked for again, after the save's pass.
      const giveWay = work.saves === true ? undefined : () => this.saveWaiting();
      const read = pollIds.length > 0 ? await this.poller.read(pollIds, now, signal, giveWay) : null;
      if (read !== null) {
        // The lists are paid for here; the rotation's reads were paid for when the poller chose them.
        reserved = read.projects.reduce((n, p) => n + p.list.pages, 0);
        this.counters.polls += read.projects.length;
        // The engine counts only what it reads itself: log the poller's list reads, and the
        // reader's since the last poll, as a `watch` run, so `status` can tell the budget used.
        const pages = read.projects.reduce((n, p) => n + p.list.pages, 0);
        const runId = this.o.journal.startRun({ kind: 'watch', at: now });
        this.o.journal.finishRun(runId, {
          at: this.o.timers.now(),
          outcome: 'ok',
          counts: { reads: pages + this.readerUnlogged, writes: 0, polls: read.projects.length },
        });
        this.readerUnlogged = 0;
        for (const u of read.unreadable) {
          // Warn once while it stays unreadable; the engine reports the file itself when it syncs it.
          const first = !this.unreadable.has(u.projectId);
          this.unreadable.add(u.projectId);
          this.log(
            first ? 'warn' : 'debug',
            'poll-failed',
            `project ${u.projectId} cannot be read (${u.error}); its file is left as it is and the project is polled rarely until it can be read`,
            {
              file: pathOf.get(u.projectId),
              data: { projectId: u.projectId },
            },
          );
        }
        for (const p of read.projects) {
          this.unreadable.delete(p.projectId);
          this.log(
            'debug',
            'poll',
            `read ${p.list.tasks.length} tasks in ${p.list.pages} page(s)${p.changed ? ': changed' : ''}`,
            {
              file: pathOf.get(p.projectId),
              data: { projectId: p.projectId, rotation: p.rotation.length },
            },
          );
        }
      }
      const request: SyncRequest = {
        signal,
        holdLocalWrite: (path) => this.activity.isBusy(path, this.o.timers.now()),
        // A first sync writes the outline at once; the reader brings the details in after it.
        streamDetails: true,
        detailsLater: true,
      };
      if (giveWay !== undefined) request.giveWay = giveWay;
      if (!work.full) {
        const files = new Set(work.files);
        // A polled project with the list of last time and a clean last pass has nothing to sync:
        // its list read is all it costs (no file read, no plan, no journal write). Its rotation is
        // read after the pass, outside it (detail-reader.ts).
        for (const p of read?.projects ?? [])
          if (!p.unchanged || this.unsettled.has(p.projectId)) files.add(pathOf.get(p.projectId) as string);
        request.files = [...files].sort();
      }
      if (read !== null) request.remoteLists = new Map(read.projects.map((p) => [p.projectId, p.list]));
      given = this.takeReadValues(request.files ?? links.map((l) => l.path));
      if (given.size > 0) request.subresourceValues = given;
      // Nothing to sync (only unchanged lists were polled): no engine pass at all.
      const report: SyncReport =
        request.files?.length === 0
          ? { files: [], requests: { reads: 0, writes: 0 }, outcome: 'ok', exitCode: EXIT.OK, dryRun: false }
          : await this.o.edges.sync(request);
      const end = this.o.timers.now();
      askedAgain = this.askAgain(read, report.unfinished ?? []);
      this.afterDetails(report, given, read);
      const active = new Set<string>();
      for (const f of report.files) {
        if (f.projectId !== null && (f.remoteOps > 0 || f.localChanges > 0)) active.add(f.projectId);
        if (f.projectId !== null) {
          if (f.outcome === 'unchanged' || f.outcome === 'synced') this.unsettled.delete(f.projectId);
          else this.unsettled.add(f.projectId);
        }
        if (f.outcome === 'held') this.syncWhenQuiet(f.path);
        if (f.recheckAt !== undefined) this.syncAt(f.path, f.recheckAt);
      }
      const synced = new Map<string, string>();
      for (const f of report.files)
        if (f.projectId !== null && f.listHash !== undefined) synced.set(f.projectId, f.listHash);
      if (read !== null) this.poller.record(read, active, end, synced);
      const polled = new Set(read?.projects.map((p) => p.projectId) ?? []);
      for (const id of active) if (!polled.has(id)) this.poller.noteActivity(id, end, synced.get(id));
      for (const f of report.files) {
        if (f.projectId !== null && !polled.has(f.projectId) && this.o.journal.getLinkByProject(f.projectId) !== null) {
          this.poller.adopt(f.projectId, end, synced.get(f.projectId));
        }
      }
      if (report.exitCode === EXIT.AUTH) return this.authStop('Taskade refused the token');
      if (report.exitCode === EXIT.UNREACHABLE) {
        const failed = report.files.find((f) => f.outcome === 'failed');
        return this.outage(failed?.error ?? 'Taskade is unreachable or failing', null);
      }
      this.recovered();
      this.reader.resume();
      return { kind: 'done' };
    } catch (error) {
      // The pass may have written to their projects before it failed: read them again.
      for (const [projectId, values] of given) this.reader.enqueue(projectId, values.keys());
      return this.failed(error);
    } finally {
      // Every request the pass sent is charged (writes too); the reader's, sent meanwhile, were
      // paid for when they were queued.
      const sent = this.o.edges.requestsSent() - sentBefore - (this.readerSent - readerSentBefore);
      this.budget.charge(sent - reserved, this.o.timers.now());
      lock.release();
      for (const id of work.poll) if (!askedAgain.has(id)) this.pollRequested.delete(id);
      if (!this.stopping) this.armPollTimer();
    }
  }

  // ── notes, dates and assignees, read outside the passes ──────────────────────────────────

  /**
   * One round of the reader: each task's three reads at background priority, counted (the run log
   * gets them with the next poll's `watch` run, for `status`'s budget, and at a stop). A task
   * Taskade no longer has is left out; Taskade failing fails the round.
   */
  private async readDetails(
    projectId: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, TaskDetails>> {
    const counter = new RequestCounter();
    const out = new Map<string, TaskDetails>();
    const results = await Promise.allSettled(
      ids.map(async (id) => out.set(id, await this.o.edges.readTaskDetails(projectId, id, counter, signal))),
    );
    this.readerSent += counter.reads;
    this.readerUnlogged += counter.reads;
    for (const r of results)
      if (r.status === 'rejected' && !(r.reason instanceof TaskadeError && r.reason.kind === 'item')) throw r.reason;
    return out;
  }

  /**
   * Changes with every pass that touched the project: the daemon's own (counted when they end) and
   * any engine commit, a one-shot `sync`'s too (the link's `updatedAt`, which every commit stamps).
   */
  private generation(projectId: string): string {
    return `${this.generations.get(projectId) ?? 0}:${this.o.journal.getLinkByProject(projectId)?.updatedAt ?? 'none'}`;
  }

  /** Values that differ from the base: kept for the project's next pass, which is asked for. */
  private detailsDiffer(projectId: string, values: Map<string, TaskDetails>, generation: string): void {
    const path = this.o.journal.getLinkByProject(projectId)?.path;
    if (path === undefined || this.stopping) return;
    const waiting = this.readValues.get(projectId);
    if (waiting !== undefined && waiting.generation === generation)
      for (const [id, v] of values) waiting.values.set(id, v);
    else this.readValues.set(projectId, { values, generation });
    this.scheduler.request({ files: [path] });
  }

  /**
   * The values waiting for the files of this pass, when no pass touched their project since they
   * were read; older ones are read again.
   */
  private takeReadValues(paths: readonly string[]): Map<string, Map<string, TaskDetails>> {
    const given = new Map<string, Map<string, TaskDetails>>();
    for (const path of paths) {
      const projectId = this.o.journal.getLinkByPath(path)?.projectId;
      const waiting = projectId === undefined ? undefined : this.readValues.get(projectId);
      if (projectId === undefined || waiting === undefined) continue;
      this.readValues.delete(projectId);
      if (waiting.generation === this.generation(projectId)) given.set(projectId, waiting.values);
      else this.reader.enqueue(projectId, waiting.values.keys());
    }
    return given;
  }

  /** Values a pass took for projects it did not touch (it gave way before their file): back for the next one. */
  private giveBackValues(given: Map<string, Map<string, TaskDetails>>, projects: ReadonlySet<string>): void {
    for (const [projectId, values] of given)
      if (projects.has(projectId)) this.readValues.set(projectId, { values, generation: this.generation(projectId) });
  }

  /**
   * After a pass: the projects it touched move to their next generation; values it could not write
   * into a file are read again (once the file is quiet, if it is being edited); a first sync's
   * details and the rotation of the projects polled are queued for the reader.
   */
  private afterDetails(
    report: SyncReport,
    given: Map<string, Map<string, TaskDetails>>,
    read: PollRead<TaskList> | null,
  ): void {
    const untouched = new Set(given.keys());
    for (const f of report.files) {
      if (f.projectId === null) continue;
      untouched.delete(f.projectId);
      this.generations.set(f.projectId, (this.generations.get(f.projectId) ?? 0) + 1);
      const values = given.get(f.projectId);
      if (values === undefined || f.outcome === 'synced' || f.outcome === 'unchanged' || f.outcome === 'conflicts')
        continue;
      if (f.outcome === 'held') this.heldDetails.set(f.path, { projectId: f.projectId, ids: [...values.keys()] });
      else this.reader.enqueue(f.projectId, values.keys());
    }
    this.giveBackValues(given, untouched);
    const now = this.o.timers.now();
    for (const d of report.detailsLeft ?? []) {
      this.budget.charge(d.ids.length * SUBRESOURCE_READS_PER_TASK, now);
      this.log(
        'info',
        'details',
        `the outline is written; reading the notes, dates and assignees of ${d.ids.length} task(s) in the background`,
        {
          file: d.path,
          data: { projectId: d.projectId, tasks: d.ids.length },
        },
      );
      this.reader.enqueue(d.projectId, d.ids);
    }
    for (const p of read?.projects ?? []) if (p.rotation.length > 0) this.reader.enqueue(p.projectId, p.rotation);
  }

  /**
   * What a pass that gave way to a save did not reach is asked for again: the lists it did not
   * read, and the files it did not sync — a polled project's as a poll (its list, read but not
   * synced, is not recorded: the next poll must not find it unchanged), another as a file.
   * Returns the projects whose polls are asked for again.
   */
  private askAgain(read: PollRead<TaskList> | null, unfinished: readonly string[]): Set<string> {
    const again = new Set(read?.notRead ?? []);
    const files: string[] = [];
    for (const path of unfinished) {
      const projectId = this.o.journal.getLinkByPath(path)?.projectId;
      const at = read?.projects.findIndex((p) => p.projectId === projectId) ?? -1;
      if (read !== null && projectId !== undefined && at >= 0) {
        // Its rotation is chosen, and paid for, again with its next poll.
        const [dropped] = read.projects.splice(at, 1);
        this.budget.charge(-dropped!.rotation.length * SUBRESOURCE_READS_PER_TASK, this.o.timers.now());
        again.add(projectId);
      } else files.push(path);
    }
    if (again.size > 0 || files.length > 0) this.scheduler.request({ poll: again, files });
    return again;
  }

  /**
   * A save waits for a pass: one the scheduler holds, or a settled file event not judged yet (they
   * are judged between passes) whose file differs from what the journal last synced. Looks only:
   * the events are judged once the pass is over.
   */
  private async saveWaiting(): Promise<boolean> {
    if (this.scheduler.savesWaiting) return true;
    for (const e of this.settledQueue) {
      if (e.kind === 'deleted') continue;
      const content = await this.o.edges.readFile(e.path);
      if (content === null) continue;
      const link = this.o.journal.getLinkByPath(e.path);
      if (
        link === null
          ? this.o.edges.projectOf(e.path, content) !== null
          : link.fileHash !== this.o.edges.hashContent(content)
      )
        return true;
    }
    return false;
  }

  private failed(error: unknown): PassOutcome {
    const kind = classifyFailure(error);
    const message = error instanceof Error ? error.message : String(error);
    switch (kind) {
      case 'auth':
        return this.authStop(message);
      case 'unreachable':
        return this.outage(message, retryAfterOf(error));
      case 'locked':
        // A one-shot `sync` holds the lock: it finishes soon; try again shortly.
        this.log('debug', 'locked', message);
        return { kind: 'retry', afterMs: 1000, reason: message };
      default: {
        const code = (error as { code?: unknown } | null)?.code;
        const exitCode = code === 'CONFIG' || code === 'USAGE' ? EXIT.USAGE : EXIT.UNEXPECTED;
        return { kind: 'stop', exitCode, message: error instanceof Error ? (error.stack ?? message) : message };
      }
    }
  }

  private authStop(detail: string): PassOutcome {
    return {
      kind: 'stop',
      exitCode: EXIT.AUTH,
      message:
        `${detail}. The daemon stopped: check the API token (the environment variable named by \`tokenEnv\`, ` +
        'TASKADE_TOKEN by default), then start `taskade-sync watch` again. Local changes are kept and sync then.',
    };
  }

  private outage(detail: string, retryAfterMs: number | null): PassOutcome {
    this.outageFailures += 1;
    const cap = Math.min(60_000, this.o.settings.pollMaxMs);
    const afterMs = outageDelayMs(this.outageFailures, cap, retryAfterMs);
    this.log(
      this.outageFailures === 1 ? 'warn' : 'debug',
      'outage',
      `${detail}; local changes are kept, retrying in ${seconds(afterMs)}`,
      { data: { failures: this.outageFailures, retryInMs: afterMs } },
    );
    return { kind: 'retry', afterMs, reason: detail };
  }

  private recovered(): void {
    if (this.outageFailures === 0) return;
    this.log('info', 'recovered', `Taskade answers again after ${this.outageFailures} failed attempt(s); caught up`);
    this.outageFailures = 0;
  }

  // ── polling ───────────────────────────────────────────────────────────────────────────────

  private armPollTimer(): void {
    this.cancelPoll?.();
    this.cancelPoll = null;
    if (this.stopping) return;
    const ids = this.o.journal
      .listLinks()
      .map((l) => l.projectId)
      .filter((id) => !this.pollRequested.has(id));
    const now = this.o.timers.now();
    const at = this.poller.nextWakeAt(ids, now);
    if (at === null) return;
    this.cancelPoll = this.o.timers.setTimeout(() => {
      this.cancelPoll = null;
      this.pollTick(ids);
    }, at - now);
  }

  private pollTick(candidates: string[]): void {
    if (this.stopping || this.scheduler.state === 'waiting') return; // an outage retry re-arms when it runs
    const chosen = this.poller.choose(candidates, this.o.timers.now());
    if (chosen.length === 0) {
      // Not affordable yet: look again shortly rather than spinning on a due time in the past.
      this.cancelPoll = this.o.timers.setTimeout(() => this.armPollTimer(), 100);
      return;
    }
    for (const id of chosen) this.pollRequested.add(id);
    this.scheduler.request({ poll: chosen });
  }

  // ── file events ───────────────────────────────────────────────────────────────────────────

  /**
   * Settled events wait in a queue while a pass runs: the pass may be writing those very files,
   * and their hashes are in the journal only once it has committed. They are judged together
   * before the next pass starts, so everything that settled during a pass makes one follow-up.
   */
  private enqueueSettled(e: SettledEvent): void {
    this.settledQueue.push(e);
    if (this.scheduler.state !== 'running') void this.drainEvents();
  }

  private drainEvents(): Promise<void> {
    this.eventChain = this.eventChain.then(async () => {
      const batch = this.settledQueue;
      this.settledQueue = [];
      const lost = this.lostQueue;
      this.lostQueue = [];
      const files: string[] = [];
      for (const l of lost) {
        try {
          if (await this.confirmLoss(l.path, l.projectId)) files.push(l.path);
        } catch (error) {
          this.log('warn', 'event-error', `cannot stop syncing it: ${(error as Error).message}`, { file: l.path });
        }
      }
      for (const e of batch) {
        try {
          if (await this.isUserEdit(e)) files.push(e.path);
        } catch (error) {
          this.log('warn', 'event-error', `cannot read the file: ${(error as Error).message}`, { file: e.path });
        }
      }
      if (files.length > 0) this.scheduler.request({ saves: files });
    });
    return this.eventChain;
  }

  /** Judges one settled event; true when the file needs a pass. */
  private async isUserEdit(e: SettledEvent): Promise<boolean> {
    if (this.stopping) return false;
    const content = e.kind === 'deleted' ? null : await this.o.edges.readFile(e.path);
    if (content === null) {
      this.fileGone(e.path);
      return false;
    }
    this.lossTimers.get(e.path)?.();
    this.lossTimers.delete(e.path);
    const hash = this.o.edges.hashContent(content);
    const link = this.o.journal.getLinkByPath(e.path);
    if (link !== null && link.fileHash === hash) {
      this.counters.echoes += 1;
      this.log('debug', 'echo', 'unchanged since the last sync (our own write or a no-op save)', { file: e.path });
      return false;
    }
    if (link === null) {
      const projectId = this.o.edges.projectOf(e.path, content);
      if (projectId === null) {
        this.log('debug', 'not-linked', 'changed, but not linked to a project: ignored', { file: e.path });
        return false;
      }
      if (await this.followMove(e.path, projectId, hash)) return false;
    }
    this.counters.userEdits += 1;
    this.activity.noteEdit(e.path, this.o.timers.now());
    this.log('debug', 'local-edit', 'changed on disk', { file: e.path });
    return true;
  }

  /**
   * A new file carrying the link of a project whose linked file no longer exists is that file,
   * moved: the link follows it. Returns true when nothing else is left to do (content unchanged).
   */
  private async followMove(path: string, projectId: string, hash: string): Promise<boolean> {
    const previous = this.o.journal.getLinkByProject(projectId);
    if (previous === null || previous.path === path || this.o.edges.fileExists(previous.path)) return false;
    await this.withLock(() => this.o.journal.moveLink(projectId, path, this.o.timers.now()));
    this.lossTimers.get(previous.path)?.();
    this.lossTimers.delete(previous.path);
    // Its quiet period and a held remote change move with it.
    this.activity.rename(previous.path, path);
    const held = this.quietTimers.get(previous.path);
    if (held !== undefined) {
      held();
      this.quietTimers.delete(previous.path);
      this.syncWhenQuiet(path);
    }
    this.log('info', 'link-moved', `moved from ${previous.path}; following it (project ${projectId})`, { file: path });
    return previous.fileHash === hash;
  }

  /**
   * A linked file disappeared. Wait a little (a move shows up as a new file), then stop syncing
   * it: the project and its tasks on Taskade stay as they are.
   */
  private fileGone(path: string): void {
    const link = this.o.journal.getLinkByPath(path);
    if (link === null || this.lossTimers.has(path)) return;
    const graceMs = Math.max(2000, 3 * this.o.settings.debounceMs);
    const cancel = this.o.timers.setTimeout(() => {
      this.lossTimers.delete(path);
      this.lostQueue.push({ path, projectId: link.projectId });
      if (this.scheduler.state !== 'running') void this.drainEvents();
    }, graceMs);
    this.lossTimers.set(path, cancel);
  }

  /** True when the file is back (it needs a pass after all). */
  private async confirmLoss(path: string, projectId: string): Promise<boolean> {
    if (this.stopping) return false;
    if (this.o.edges.fileExists(path)) return true;
    if (this.o.journal.getLinkByPath(path)?.projectId !== projectId) return false;
    await this.withLock(() => this.o.journal.removeLink(projectId));
    this.log(
      'warn',
      'link-removed',
      `was deleted: stopped syncing it. Project ${projectId} keeps its tasks on Taskade; restore the file ` +
        `or run \`taskade-sync pull --project ${projectId}\` to sync it again`,
      { file: path, data: { projectId } },
    );
    return false;
  }

  /**
   * Syncs `path` again at `at`: a create a stopped run sent is held back until Taskade can no
   * longer apply it, and then made, but the list and the file are unchanged by then, so no poll or
   * save would bring the pass that makes it.
   */
  private syncAt(path: string, at: number): void {
    this.recheckTimers.get(path)?.();
    this.recheckTimers.set(
      path,
      this.o.timers.setTimeout(
        () => {
          this.recheckTimers.delete(path);
          this.scheduler.request({ files: [path] });
        },
        Math.max(0, at - this.o.timers.now()) + 10,
      ),
    );
  }

  private syncWhenQuiet(path: string): void {
    const at = this.activity.quietAt(path);
    const now = this.o.timers.now();
    const delay = at === null ? 0 : Math.max(0, at - now) + 10;
    this.quietTimers.get(path)?.();
    this.quietTimers.set(
      path,
      this.o.timers.setTimeout(() => {
        this.quietTimers.delete(path);
        this.activity.prune(this.o.timers.now());
        const held = this.heldDetails.get(path);
        this.heldDetails.delete(path);
        if (held !== undefined) this.reader.enqueue(held.projectId, held.ids);
        this.scheduler.request({ files: [path] });
      }, delay),
    );
    this.log(
      'debug',
      'held',
      `being edited: remote changes wait until it has been quiet for ${seconds(this.o.settings.quietMs)}`,
      {
        file: path,
      },
    );
  }

  /**
   * Runs a journal update under the lock. A one-shot `sync` holding it is waited out (a dropped
   * move or deletion would never be seen again: its events are gone); a stop ends the wait.
   */
  private async withLock(fn: () => void): Promise<void> {
    for (;;) {
      let lock: { release(): void };
      try {
        lock = await this.o.edges.lock();
      } catch (error) {
        if (this.stopping || classifyFailure(error) !== 'locked') throw error;
        await new Promise<void>((resolve) => this.o.timers.setTimeout(resolve, 1000));
        continue;
      }
      try {
        fn();
      } finally {
        lock.release();
      }
      return;
    }
  }

  private log(
    level: 'info' | 'warn' | 'error' | 'debug',
    type: string,
    message: string,
    extra: { file?: string | undefined; data?: Record<string, unknown> } = {},
  ): void {
    const e: Parameters<Logger['event']>[0] = { level, type, message };
    if (extra.file !== undefined) e.file = extra.file;
    if (extra.data !== undefined) e.data = extra.data;
    this.o.logger.event(e);
  }
}

/**
 * The lock, or null as soon as `signal` aborts: a stop must not wait for a one-shot `sync` to
 * finish. A lock granted after that is released at once, so the daemon never exits holding it.
 */
function unlessAborted<L extends { release(): void }>(pending: Promise<L>, signal: AbortSignal): Promise<L | null> {
  return new Promise((resolve, reject) => {
    let abandoned = false;
    const onAbort = (): void => {
      abandoned = true;
      resolve(null);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (lock) => {
        signal.removeEventListener('abort', onAbort);
        if (abandoned) lock.release();
        else resolve(lock);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!abandoned) reject(error);
      },
    );
  });
}

function seconds(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}
