import type { Clock } from '../model/clock.js';

/** What one engine pass should cover. Requests made while a pass runs are merged into one. */
export interface PassWork {
  /** Every linked file (start-up, catching up after an outage). */
  full: boolean;
  /** Files (relative to the root) to sync: the user's saves, or files with work left over. */
  files: Set<string>;
  /** Projects whose task lists the poller reads at the start of the pass. */
  poll: Set<string>;
  /**
   * A pass of the user's saves (`files` only). Saves go first: they wait for no other work, and a
   * pass of other work gives way to them between its steps (`PassScheduler.savesWaiting`).
   */
  saves?: boolean;
}

/** What `PassScheduler.request` takes: `saves` are files the user saved (they go first). */
export interface WorkRequest {
  full?: boolean;
  files?: Iterable<string>;
  poll?: Iterable<string>;
  saves?: Iterable<string>;
}

export type PassOutcome =
  | { kind: 'done' }
  /** Taskade is unreachable (or the lock is busy): keep the work and run it again later. */
  | { kind: 'retry'; afterMs: number; reason: string }
  /** Nothing more can be done (e.g. the token was refused): the daemon stops. */
  | { kind: 'stop'; exitCode: number; message: string };

export interface SchedulerOptions {
  run: (work: PassWork, signal: AbortSignal) => Promise<PassOutcome>;
  timers: Clock;
  /**
   * Runs before the scheduler takes the pending work for a pass, so that whatever the caller
   * still has to turn into requests (e.g. file events that settled during the previous pass)
   * joins this pass instead of causing another one.
   */
  beforePass?: () => Promise<void>;
  /** Called once when a pass returns `stop`. */
  onStop: (outcome: Extract<PassOutcome, { kind: 'stop' }>) => void;
}

export type SchedulerState = 'idle' | 'running' | 'waiting' | 'stopped';

export function emptyWork(): PassWork {
  return { full: false, files: new Set(), poll: new Set() };
}

function isEmpty(w: PassWork): boolean {
  return !w.full && w.files.size === 0 && w.poll.size === 0;
}

function mergeInto(target: PassWork, w: { full?: boolean; files?: Iterable<string>; poll?: Iterable<string> }): void {
  if (w.full === true) target.full = true;
  for (const f of w.files ?? []) target.files.add(f);
  for (const p of w.poll ?? []) target.poll.add(p);
}

/**
 * Single flight: at most one engine pass at a time (the engine holds the state-dir lock for each
 * pass, so two would only queue on it). Everything requested while a pass runs is merged into
 * ONE follow-up pass — a burst of events never turns into a burst of passes. A pass that asks for
 * a retry gives its work back, merged with whatever arrived meanwhile, and waits `afterMs`.
 *
 * Saves go first: the next pass is a pass of the saves waiting, alone, whatever other work is
 * pending; the other work follows in the pass after it.
 */
export class PassScheduler {
  private pending: PassWork = emptyWork();
  private saves = new Set<string>();
  private current: Promise<void> | null = null;
  private cancelWait: (() => void) | null = null;
  private stopped = false;
  private readonly abort = new AbortController();
  private idleWaiters: Array<() => void> = [];
  /** Passes started so far (tests and `status` count them). */
  passes = 0;

  constructor(private readonly options: SchedulerOptions) {}

  get state(): SchedulerState {
    if (this.stopped) return 'stopped';
    if (this.current !== null) return 'running';
    if (this.cancelWait !== null) return 'waiting';
    return 'idle';
  }

  request(work: WorkRequest): void {
    if (this.stopped) return;
    mergeInto(this.pending, work);
    for (const f of work.saves ?? []) this.saves.add(f);
    this.kick();
  }

  /** Saves wait for a pass: a pass of other work should give way at its next step. */
  get savesWaiting(): boolean {
    return this.saves.size > 0;
  }

  /** Resolves when no pass runs, none waits, and nothing is pending. */
  whenIdle(): Promise<void> {
    if (this.state === 'idle' || this.state === 'stopped') return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops scheduling. The pass in flight gets the abort signal (the engine stops between
   * requests and commits what succeeded); resolves when it has returned.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelWait?.();
    this.cancelWait = null;
    this.abort.abort();
    await this.current;
    this.notifyIdle();
  }

  private kick(): void {
    if (this.stopped || this.current !== null || this.cancelWait !== null) return;
    this.current = this.cycle().finally(() => {
      this.current = null;
      if (!this.stopped && isEmpty(this.pending) && this.saves.size === 0) this.notifyIdle();
      else this.kick();
    });
  }

  private async cycle(): Promise<void> {
    await this.options.beforePass?.();
    if (this.stopped || (isEmpty(this.pending) && this.saves.size === 0)) return;
    let work: PassWork;
    if (this.saves.size > 0) {
      work = { full: false, files: this.saves, poll: new Set(), saves: true };
      this.saves = new Set();
    } else {
      work = this.pending;
      this.pending = emptyWork();
    }
    this.passes += 1;
    await this.runOne(work);
  }

  private async runOne(work: PassWork): Promise<void> {
    let outcome: PassOutcome;
    try {
      outcome = await this.options.run(work, this.abort.signal);
    } catch (error) {
      // The pass function classifies every failure it knows; anything else is a bug: stop loudly.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      outcome = { kind: 'stop', exitCode: 1, message: `unexpected error in a sync pass: ${message}` };
    }
    if (outcome.kind === 'retry' && !this.stopped) {
      if (work.saves === true) for (const f of work.files) this.saves.add(f);
      else mergeInto(this.pending, work);
      this.cancelWait = this.options.timers.setTimeout(() => {
        this.cancelWait = null;
        this.kick();
      }, outcome.afterMs);
    } else if (outcome.kind === 'stop') {
      this.stopped = true;
      this.options.onStop(outcome);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
