/**
 * Progress of long work on stderr (issue 11): what is being done, done/total, the time left at
 * the current pace, and a hint to raise `requestsPerMinute` when the request budget is what holds
 * the work back. Fed by the engine's `progress` events (through the logger); drawn only on a
 * terminal, never with `--quiet` or `--json`. The last state is kept either way, so a stopped run
 * can say how far it got.
 */
import type { Writable } from 'node:stream';
import type { LogEvent, Logger } from '../engine/index.js';

export interface ProgressState {
  /** e.g. 'reading details', 'creating tasks', 'sending changes' */
  phase: string;
  done: number;
  total: number;
}

/** Where the request rate comes from (the request queue's stats). */
export interface RateSource {
  stats(): { sent: number; currentRatePerMinute: number };
}

export interface ProgressLine extends ProgressState {
  /** Since the phase started. */
  elapsedMs: number;
  /** Requests sent since the phase started. */
  requestsSent: number;
  /** The queue's rate now. */
  ratePerMinute: number;
}

/** The budget holds the work back when requests go out at ≥ 90 % of the rate the queue allows. */
export function budgetLimits(p: Pick<ProgressLine, 'elapsedMs' | 'requestsSent' | 'ratePerMinute'>): boolean {
  if (p.elapsedMs < 5_000 || p.requestsSent === 0) return false;
  return p.requestsSent / (p.elapsedMs / 60_000) >= 0.9 * p.ratePerMinute;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** "about 21 min", "about 40 s", "about 2 h 5 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `about ${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `about ${min} min`;
  const h = Math.floor(min / 60);
  const rest = min - h * 60;
  return rest === 0 ? `about ${h} h` : `about ${h} h ${rest} min`;
}

/** One progress line: "creating tasks 240/1,500 · about 21 min left at 60 requests/min …". */
export function formatProgress(p: ProgressLine): string {
  const head = `${p.phase} ${count(p.done)}/${count(p.total)}`;
  if (p.done <= 0 || p.done >= p.total || p.elapsedMs <= 0) return head;
  const left = formatDuration(((p.total - p.done) * p.elapsedMs) / p.done);
  if (!budgetLimits(p)) return `${head} · ${left} left`;
  return `${head} · ${left} left at ${count(Math.round(p.ratePerMinute))} requests/min (raise requestsPerMinute in sync.config.json if your plan allows)`;
}

export interface ProgressOptions {
  stderr: Writable;
  quiet?: boolean;
  json?: boolean;
  rate?: RateSource;
  now?: () => number;
  /** Redraw at most this often. @default 200 */
  intervalMs?: number;
}

/** Whether progress is drawn: stderr is a terminal, and neither `--quiet` nor `--json`. */
export function progressShown(o: Pick<ProgressOptions, 'stderr' | 'quiet' | 'json'>): boolean {
  return (o.stderr as Writable & { isTTY?: boolean }).isTTY === true && o.quiet !== true && o.json !== true;
}

export class ProgressReporter {
  readonly shown: boolean;
  #last: ProgressState | null = null;
  #phaseStart = 0;
  #sentAtStart = 0;
  #drawnAt = -Infinity;
  #onScreen = false;
  readonly #o: ProgressOptions;
  readonly #now: () => number;

  constructor(o: ProgressOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.shown = progressShown(o);
  }

  /** The last progress the engine reported (null: none yet). */
  get last(): ProgressState | null {
    return this.#last;
  }

  update(s: ProgressState): void {
    if (this.#last === null || this.#last.phase !== s.phase || s.done < this.#last.done) {
      this.#phaseStart = this.#now();
      this.#sentAtStart = this.#o.rate?.stats().sent ?? 0;
    }
    this.#last = { ...s };
    if (!this.shown) return;
    const now = this.#now();
    if (now - this.#drawnAt < (this.#o.intervalMs ?? 200) && s.done < s.total) return;
    this.#drawnAt = now;
    const stats = this.#o.rate?.stats();
    const line = formatProgress({
      ...s,
      elapsedMs: now - this.#phaseStart,
      requestsSent: (stats?.sent ?? 0) - this.#sentAtStart,
      ratePerMinute: stats?.currentRatePerMinute ?? 0,
    });
    this.#o.stderr.write(`\r\x1b[2K${line}`);
    this.#onScreen = true;
  }

  /** Removes the line (before other output, and at the end). */
  clear(): void {
    if (!this.#onScreen) return;
    this.#o.stderr.write('\r\x1b[2K');
    this.#onScreen = false;
    this.#drawnAt = -Infinity;
  }

  /** A logger that feeds `progress` events here and passes every other event on, below the line. */
  logger(inner: Logger): Logger {
    return {
      event: (e: LogEvent): void => {
        if (e.type === 'progress') {
          const d = e.data as { what?: unknown; done?: unknown; total?: unknown } | undefined;
          if (typeof d?.what === 'string' && typeof d.done === 'number' && typeof d.total === 'number')
            this.update({ phase: d.what, done: d.done, total: d.total });
          return;
        }
        this.clear();
        inner.event(e);
      },
    };
  }

  /** "stopped: creating tasks 240 of 1,500 done; the next run finishes". */
  stoppedMessage(): string {
    const s = this.#last;
    if (s === null) return 'stopped before any work was done; the next run does it';
    return `stopped: ${s.phase} ${count(s.done)} of ${count(s.total)} done; the next run finishes`;
  }
}
