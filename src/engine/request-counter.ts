/**
 * Counts the logical requests of a run (a list read counts its pages; the queue's retries are
 * not counted). Reported in `SyncReport.requests` and the run log.
 */
export class RequestCounter {
  reads = 0;
  writes = 0;

  async read<T>(fn: () => Promise<T>, n = 1): Promise<T> {
    this.reads += n;
    return fn();
  }

  async write<T>(fn: () => Promise<T>, n = 1): Promise<T> {
    this.writes += n;
    return fn();
  }
}
