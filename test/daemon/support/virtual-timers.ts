import type { Clock } from '../../../src/model/clock.js';

/**
 * A virtual clock for the daemon's timers: nothing happens until `advance` moves time forward,
 * and then due callbacks run in time order, with pending promise callbacks settled in between
 * (so async work a timer starts gets to run before the next timer fires).
 */
export class VirtualTimers implements Clock {
  private time: number;
  private seq = 0;
  private queue: Array<{ at: number; seq: number; fn: () => void }> = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const entry = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.queue.push(entry);
    return () => {
      this.queue = this.queue.filter((e) => e !== entry);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const cancel = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get pendingTimers(): number {
    return this.queue.length;
  }

  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    await settle();
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue[0];
      if (next === undefined || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
      await settle();
    }
    this.time = until;
    await settle();
  }
}

/** Lets queued promise callbacks (and the ones they queue) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise<void>((r) => setImmediate(r));
}
