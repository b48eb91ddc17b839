import type { Clock } from '../model/clock.js';

export type RawEventKind = 'add' | 'change' | 'unlink';

/** What a path looks like once its events have settled. */
export interface SettledEvent {
  path: string;
  /** `changed`: the file exists (created, edited or replaced); `deleted`: it is gone. */
  kind: 'changed' | 'deleted';
}

export interface CoalescerOptions {
  /** Quiet time per path before its events are reported as one. */
  debounceMs: number;
  /**
   * A path written continuously is still reported after this long, so a tool that appends every
   * 100 ms does not starve the sync. @default 10 × debounceMs
   */
  maxWaitMs?: number;
  timers: Clock;
  onSettled: (event: SettledEvent) => void;
}

/**
 * Per-path debounce of raw watcher events. The last event of a burst decides: an editor's atomic
 * save (unlink + add of the same path, or a rename over it) becomes one `changed`; a burst of 50
 * saves becomes one `changed`; add-then-unlink of a scratch file becomes `deleted`.
 */
export class EventCoalescer {
  private readonly pending = new Map<string, { kind: SettledEvent['kind']; firstAt: number; cancel: () => void }>();
  private readonly maxWaitMs: number;

  constructor(private readonly options: CoalescerOptions) {
    this.maxWaitMs = options.maxWaitMs ?? options.debounceMs * 10;
  }

  push(kind: RawEventKind, path: string): void {
    const now = this.options.timers.now();
    const previous = this.pending.get(path);
    previous?.cancel();
    const firstAt = previous?.firstAt ?? now;
    const settledKind: SettledEvent['kind'] = kind === 'unlink' ? 'deleted' : 'changed';
    const wait = Math.max(0, Math.min(this.options.debounceMs, firstAt + this.maxWaitMs - now));
    const cancel = this.options.timers.setTimeout(() => this.fire(path), wait);
    this.pending.set(path, { kind: settledKind, firstAt, cancel });
  }

  /** Number of paths with unreported events. */
  get size(): number {
    return this.pending.size;
  }

  /** Drops every unreported event (on stop). */
  dispose(): void {
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
  }

  private fire(path: string): void {
    const entry = this.pending.get(path);
    if (entry === undefined) return;
    this.pending.delete(path);
    this.options.onSettled({ path, kind: entry.kind });
  }
}
