import { hashTaskList } from '../engine/list-hash.js';
import type { PollState } from '../journal/index.js';
import { TaskadeError } from '../taskade/errors.js';
import type { PollShare } from './poll-share.js';
import {
  affordablePages,
  choosePolls,
  listPages,
  nextIntervalMs,
  rotate,
  rotationPerProject,
  SUBRESOURCE_READS_PER_TASK,
  type PollSettings,
  type ProjectDue,
} from './poll-policy.js';

export type { PollState };

/** Where poll state persists (the journal), so a restarted daemon keeps its rhythm. */
export interface PollStateStore {
  getPollState(projectId: string): PollState | null;
  putPollState(projectId: string, state: PollState): void;
}

/** The part of a task list the poller looks at (the client's `TaskList`). */
export interface PolledList {
  rootId: string | null;
  tasks: ReadonlyArray<{ id: string; text: string; parentId: string | null; completed: boolean }>;
  pages: number;
}

export interface ProjectRead<L extends PolledList> {
  projectId: string;
  list: L;
  listHash: string;
  /** The list differs from the one read last time (someone else changed the project). */
  changed: boolean;
  /** The list is the one read last time (the last poll's pass saw it): nothing new from Taskade. */
  unchanged: boolean;
  /** Task ids whose sub-resources the engine should read this pass. */
  rotation: string[];
  rotationCursor: string | null;
}

export interface PollRead<L extends PolledList> {
  projects: Array<ProjectRead<L>>;
  /**
   * Projects whose list Taskade refused for that project alone (404: deleted or no longer shared;
   * another 4xx): the others are still polled, and these back off like idle ones.
   */
  unreadable: Array<{ projectId: string; error: string }>;
  /** Projects not read because the read gave way to a save (`read`'s `giveWay`): poll them next. */
  notRead: string[];
  /** Requests this read is expected to cost, lists plus the engine's rotation reads. */
  reservedRequests: number;
}

export interface PollerOptions<L extends PolledList> {
  store: PollStateStore;
  listTasks: (projectId: string, signal: AbortSignal) => Promise<L>;
  settings: PollSettings;
  budget: PollShare;
}

export { hashTaskList };

/**
 * The cursor-based poller: decides which linked projects are due and fit in the budget, reads
 * their task lists (inside an engine pass, under the lock, so the lists are never older than the
 * journal they are compared with), picks the sub-resource rotation, and records the outcome.
 */
export class Poller<L extends PolledList> {
  private readonly pages = new Map<string, number>();

  constructor(private readonly o: PollerOptions<L>) {}

  dueAt(projectId: string, now: number): number {
    const s = this.o.store.getPollState(projectId);
    return s === null ? now : s.lastPolledAt + s.intervalMs;
  }

  /** The projects to read now, most overdue first, within the poller's share of the budget. */
  choose(projectIds: readonly string[], now: number): string[] {
    const due: ProjectDue[] = projectIds.map((projectId) => ({
      projectId,
      dueAt: this.dueAt(projectId, now),
      pages: this.pages.get(projectId) ?? 1,
    }));
    return choosePolls(due, now, Math.floor(this.o.budget.available(now)), this.o.budget.capacity).poll;
  }

  /**
   * When the next project falls due, or when the budget will have room for the most overdue
   * one: the daemon sleeps until then.
   */
  nextWakeAt(projectIds: readonly string[], now: number): number | null {
    if (projectIds.length === 0) return null;
    let first = Number.POSITIVE_INFINITY;
    let firstId = projectIds[0] as string;
    for (const id of projectIds) {
      const at = this.dueAt(id, now);
      if (at < first) {
        first = at;
        firstId = id;
      }
    }
    const wait = this.o.budget.waitFor(affordablePages(this.pages.get(firstId) ?? 1, this.o.budget.capacity), now);
    return Math.max(first, now + wait);
  }

  /**
   * Reads the lists of `projectIds` and picks the rotation with the tokens left. `giveWay` is asked
   * before each list after the first: true ends the read there (a save is waiting), and the
   * projects left are in `notRead`.
   */
  async read(
    projectIds: readonly string[],
    now: number,
    signal: AbortSignal,
    giveWay?: () => Promise<boolean>,
  ): Promise<PollRead<L>> {
    const projects: Array<ProjectRead<L>> = [];
    const unreadable: PollRead<L>['unreadable'] = [];
    const notRead: string[] = [];
    let reserved = 0;
    for (const [i, projectId] of projectIds.entries()) {
      if (signal.aborted) break;
      if (i > 0 && giveWay !== undefined && (await giveWay())) {
        notRead.push(...projectIds.slice(i));
        break;
      }
      let list: L;
      try {
        list = await this.o.listTasks(projectId, signal);
      } catch (error) {
        // One project's own refusal must not stop the polls of the others (nor the daemon).
        if (error instanceof TaskadeError && error.kind === 'item') {
          unreadable.push({ projectId, error: error.message });
          continue;
        }
        throw error;
      }
      this.pages.set(projectId, listPages(list.tasks.length));
      reserved += list.pages;
      const listHash = hashTaskList(list);
      const previous = this.o.store.getPollState(projectId);
      const changed = previous !== null && previous.listHash !== '' && previous.listHash !== listHash;
      projects.push({
        projectId,
        list,
        listHash,
        changed,
        unchanged: previous !== null && previous.listHash !== '' && previous.listHash === listHash,
        rotation: [],
        rotationCursor: previous?.rotationCursor ?? null,
      });
    }
    this.o.budget.charge(reserved, now);
    const perProject = rotationPerProject(
      Math.floor(this.o.budget.available(now)),
      projects.length,
      this.o.settings.subresourceReadsPerPoll,
    );
    for (const p of projects) {
      // A changed list makes the engine read the changed tasks anyway; the rotation covers the rest.
      const r = rotate(
        p.list.tasks.map((t) => t.id),
        p.rotationCursor,
        perProject,
      );
      p.rotation = r.ids;
      p.rotationCursor = r.cursor;
      const cost = r.ids.length * SUBRESOURCE_READS_PER_TASK;
      this.o.budget.charge(cost, now);
      reserved += cost;
    }
    return { projects, unreadable, notRead, reservedRequests: reserved };
  }

  /**
   * Stores the outcome of a pass that used `read`. `active` names projects where the pass moved
   * something either way: they count as changed (their interval halves). `synced` holds, for
   * projects the pass left in sync, the hash of the list as the pass left it (`FileReport.listHash`).
   */
  record(
    read: PollRead<L>,
    active: ReadonlySet<string>,
    now: number,
    synced: ReadonlyMap<string, string> = new Map(),
  ): void {
    for (const p of read.projects) {
      const previous = this.o.store.getPollState(p.projectId);
      const changed = p.changed || active.has(p.projectId);
      const interval =
        previous === null ? this.o.settings.minMs : nextIntervalMs(previous.intervalMs, changed, this.o.settings);
      this.o.store.putPollState(p.projectId, {
        // Our own writes change the list: keep the hash of the list as they left it, so the next
        // poll finds it unchanged (no pass), or forget it so they are not taken for someone else's change.
        listHash: active.has(p.projectId) ? (synced.get(p.projectId) ?? '') : p.listHash,
        lastPolledAt: now,
        lastChangedAt: changed ? now : (previous?.lastChangedAt ?? now),
        intervalMs: interval,
        rotationCursor: p.rotationCursor,
      });
    }
    for (const { projectId } of read.unreadable) {
      const previous = this.o.store.getPollState(projectId);
      this.o.store.putPollState(projectId, {
        listHash: previous?.listHash ?? '',
        lastPolledAt: now,
        lastChangedAt: previous?.lastChangedAt ?? now,
        intervalMs: nextIntervalMs(previous?.intervalMs ?? this.o.settings.minMs, false, this.o.settings),
        rotationCursor: previous?.rotationCursor ?? null,
      });
    }
  }

  /**
   * A project the engine read itself this pass (e.g. a file linked moments ago) starts its poll
   * rhythm now instead of being polled again at once, with the hash of the list as the pass left
   * it when it left the project in sync.
   */
  adopt(projectId: string, now: number, listHash = ''): void {
    if (this.o.store.getPollState(projectId) !== null) return;
    this.o.store.putPollState(projectId, {
      listHash,
      lastPolledAt: now,
      lastChangedAt: now,
      intervalMs: this.o.settings.minMs,
      rotationCursor: null,
    });
  }

  /**
   * A local edit or push on a project not read this pass: poll it sooner, and keep the hash of the
   * list as the pass left it (`listHash`, when it left the project in sync), else forget it.
   */
  noteActivity(projectId: string, now: number, listHash = ''): void {
    const previous = this.o.store.getPollState(projectId);
    if (previous === null) return;
    this.o.store.putPollState(projectId, {
      ...previous,
      listHash,
      lastChangedAt: now,
      intervalMs: nextIntervalMs(previous.intervalMs, true, this.o.settings),
    });
  }
}
