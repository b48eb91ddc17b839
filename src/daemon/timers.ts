/**
 * The daemon's clock edge: the current time and cancellable timers. Injected everywhere in
 * `src/daemon/` so debounce, quiet periods, poll intervals and backoff are testable on a virtual
 * clock (see `test/daemon/support/virtual-timers.ts`) without waiting in real time.
 */
export interface Timers {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels the call (idempotent). */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};
