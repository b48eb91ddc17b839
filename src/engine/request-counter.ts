import { watchSends, type SendWatch } from '../taskade/index.js';

/**
 * Counts the logical requests of a run that were sent (a list read counts its pages; the queue's
 * retries are not counted; a request the queue never sent, because the run was stopped while it
 * waited for the budget, is not counted either). Reported in `SyncReport.requests` and the run
 * log, which `status` sums.
 */
export class RequestCounter {
  reads = 0;
  writes = 0;

  async read<T>(fn: () => Promise<T>, n = 1): Promise<T> {
    return this.#count(fn, n, 'reads');
  }

  async write<T>(fn: () => Promise<T>, n = 1): Promise<T> {
    return this.#count(fn, n, 'writes');
  }

  async #count<T>(fn: () => Promise<T>, n: number, kind: 'reads' | 'writes'): Promise<T> {
    const watch: SendWatch = { sent: false };
    try {
      const value = await watchSends(watch, fn);
      this[kind] += n;
      return value;
    } catch (error) {
      if (watch.sent) this[kind] += n;
      throw error;
    }
  }
}
