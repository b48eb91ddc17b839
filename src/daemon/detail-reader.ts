import type { TaskDetails } from '../engine/remote-view.js';
import { fieldEquals, type TaskRecord } from '../model/task.js';

/** Tasks read per round (three requests each): between rounds the reader looks at the journal again. */
export const DETAIL_ROUND = 100;

export interface DetailReaderOptions {
  /**
   * Reads the note, date and assignees of `ids` at background priority; a task Taskade refuses
   * (gone since) is left out of the answer. Rejects when Taskade cannot be reached.
   */
  read(projectId: string, ids: readonly string[], signal: AbortSignal): Promise<Map<string, TaskDetails>>;
  /** The journal's base rows of these tasks (those it has). */
  base(projectId: string, ids: readonly string[]): Map<string, TaskRecord>;
  /** Changes whenever a pass touched the project: values read across one are not trusted. */
  generation(projectId: string): string;
  /** Values that differ from the base, read while no pass touched the project (`generation`). */
  differ(projectId: string, values: Map<string, TaskDetails>, generation: string): void;
  /** A round failed (Taskade unreachable): its tasks wait for `resume`. */
  failed(projectId: string, error: unknown): void;
}

/**
 * The daemon's reads of notes, dates and assignees — the poll rotation's and a first sync's
 * details — outside any pass and without the lock, so a pass never waits for them at the budget's
 * pace and a save never waits for the pass. The request queue sends them at background priority:
 * writes and the passes' reads overtake them.
 *
 * Most values equal the base (nothing changed on Taskade): they cost their reads and nothing else.
 * Those that differ are handed over (`differ`) for a pass that takes them as read, unless a pass
 * touched the project while they were read — then they may predate the daemon's own write, and are
 * read again. Verified writes hold: a pass overwrites a field only with its current value known,
 * read moments before by this reader, or by the pass itself.
 */
export class DetailReader {
  private readonly queue = new Map<string, Set<string>>();
  private running: Promise<void> | null = null;
  private paused = false;
  private readonly abort = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly o: DetailReaderOptions) {}

  /** Tasks of a project to read (merged with those already waiting). */
  enqueue(projectId: string, ids: Iterable<string>): void {
    if (this.abort.signal.aborted) return;
    const waiting = this.queue.get(projectId) ?? new Set<string>();
    for (const id of ids) waiting.add(id);
    if (waiting.size > 0) this.queue.set(projectId, waiting);
    this.kick();
  }

  /** Tasks waiting to be read. */
  get size(): number {
    let n = 0;
    for (const ids of this.queue.values()) n += ids.size;
    return n;
  }

  /** After a failed round: read again (the daemon calls it once Taskade answers). */
  resume(): void {
    this.paused = false;
    this.kick();
  }

  /** Nothing is being read, and nothing waits to be (but what a failure paused). */
  get idle(): boolean {
    return this.running === null && (this.paused || this.queue.size === 0);
  }

  /** Resolves when nothing is being read (what waits after a failure does not count). */
  whenIdle(): Promise<void> {
    if (this.running === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.clear();
    await this.running;
  }

  private kick(): void {
    if (this.running !== null || this.paused || this.abort.signal.aborted || this.queue.size === 0) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (!this.paused && this.queue.size > 0 && !this.abort.signal.aborted) this.kick();
      else for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  private async loop(): Promise<void> {
    while (!this.paused && !this.abort.signal.aborted) {
      const next = this.queue.entries().next();
      if (next.done === true) return;
      const [projectId, waiting] = next.value;
      const ids = [...waiting].slice(0, DETAIL_ROUND);
      for (const id of ids) waiting.delete(id);
      if (waiting.size === 0) this.queue.delete(projectId);
      const generation = this.o.generation(projectId);
      let values: Map<string, TaskDetails>;
      try {
        values = await this.o.read(projectId, ids, this.abort.signal);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.enqueue(projectId, ids);
        this.paused = true;
        this.o.failed(projectId, error);
        return;
      }
      if (this.abort.signal.aborted) return;
      if (this.o.generation(projectId) !== generation) {
        // A pass touched the project meanwhile: these values may predate its writes.
        this.enqueue(projectId, ids);
        continue;
      }
      const base = this.o.base(projectId, ids);
      const differ = new Map<string, TaskDetails>();
      for (const [id, v] of values) {
        const b = base.get(id);
        // A task the base does not hold is new on Taskade: the poll that lists it reads it.
        if (b === undefined) continue;
        if (!fieldEquals('note', b.note, v.note) || !fieldEquals('due', b.due, v.due)) differ.set(id, v);
        else if (!fieldEquals('assignees', b.assignees, v.assignees)) differ.set(id, v);
      }
      if (differ.size > 0) this.o.differ(projectId, differ, generation);
    }
  }
}
