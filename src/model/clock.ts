/**
 * Time as an injected edge, the one clock of the code base: the request queue waits on it, the
 * daemon's debounce, quiet periods, poll intervals and backoff are timers on it, and the engine
 * stamps the journal with it. Tests drive a virtual clock and assert on exact simulated
 * timestamps instead of wall-clock timings.
 */
export interface Clock {
  /** Milliseconds since the epoch (or since the virtual clock's origin). */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` after `ms`; returns a function that cancels the call (idempotent). */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to. `runUntil(promise)` jumps from timer to timer, letting
 * pending promise callbacks run between jumps, until the promise settles — so five simulated
 * minutes take milliseconds. Work that waits on real I/O does not belong under it.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, resolve: fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      await settleCallbacks();
      const next = this.#earliest();
      if (!next || next.at > until) break;
      this.#fire(next);
    }
    this.#now = until;
    await settleCallbacks();
  }

  /** Advances from timer to timer until `promise` settles; throws when nothing is left to wait for. */
  /**
   * `busy`: while it returns true (say, a request is on a real socket), time stands still and the
   * clock waits for real I/O instead of jumping to the next timer.
   */
  async runUntil<T>(promise: Promise<T>, options: { maxSteps?: number; busy?: () => boolean } = {}): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    const maxSteps = options.maxSteps ?? 1_000_000;
    for (let step = 0; ; step++) {
      await settleCallbacks();
      if (settled) return promise;
      if (options.busy?.() === true) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const next = this.#earliest();
      if (!next)
        throw new Error(`VirtualClock.runUntil: the promise is still pending at t=${this.#now} and no timer is left`);
      if (step >= maxSteps) throw new Error(`VirtualClock.runUntil: still pending after ${maxSteps} timer steps`);
      this.#fire(next);
    }
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  #fire(timer: Timer): void {
    this.#timers = this.#timers.filter((t) => t !== timer);
    this.#now = Math.max(this.#now, timer.at);
    timer.resolve();
  }
}

/** Lets every queued promise callback run (a macrotask turn drains the microtask queue). */
function settleCallbacks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
