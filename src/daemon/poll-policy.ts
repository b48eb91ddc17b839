import { LIMITS } from '../taskade/limits.js';
/**
 * The poller's decisions, pure: how often each project is read, which projects fit in the
 * request budget now, and which tasks' sub-resources the rotation reads. No I/O, no clock.
 *
 * Cost model (Taskade v1): one task-list read per 1,000 tasks (a page), and three reads per task
 * for its sub-resources (note, date, assignees). Nothing else tells us about remote changes.
 */

export interface PollSettings {
  /** Floor of a project's interval, used right after it changed. */
  minMs: number;
  /** Ceiling of a project's interval, reached after a run of idle polls. */
  maxMs: number;
  /** Most tasks per project per poll whose note/date/assignees are read in the rotation. */
  subresourceReadsPerPoll: number;
}

/** Requests per task to read its note, date and assignees. */
export const SUBRESOURCE_READS_PER_TASK = 3;

/**
 * Multiplicative adaptation: a change halves the interval (a project someone is working on is
 * likely to change again soon), an idle poll doubles it. Clamped to [minMs, maxMs].
 */
export function nextIntervalMs(previousMs: number, changed: boolean, s: Pick<PollSettings, 'minMs' | 'maxMs'>): number {
  const next = changed ? previousMs / 2 : previousMs * 2;
  return Math.min(s.maxMs, Math.max(s.minMs, Math.round(next)));
}

export function listPages(taskCount: number): number {
  return Math.max(1, Math.ceil((taskCount + 1) / LIMITS.pageSize)); // +1: the root node some projects list first
}

export interface ProjectDue {
  projectId: string;
  dueAt: number;
  /** Expected list pages (from the last read). */
  pages: number;
}

/**
 * Which due projects to read now with `tokens` requests to spend: the most overdue first, while
 * their list pages fit. A project that does not fit waits for the next cycle and then comes
 * first (it is the most overdue), so every project is read within the bound in the README.
 *
 * `capacity` is the most the budget can ever hold: a project with more pages than that could
 * never fit and, coming first, would block every poll for ever. It goes once `capacity` tokens
 * are in hand and leaves the budget in debt, which the following polls wait out.
 */
export function choosePolls(
  projects: readonly ProjectDue[],
  now: number,
  tokens: number,
  capacity = Number.POSITIVE_INFINITY,
): { poll: string[]; cost: number } {
  const due = projects
    .filter((p) => p.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt || byCodeUnits(a.projectId, b.projectId));
  const poll: string[] = [];
  let cost = 0;
  for (const p of due) {
    if (cost + affordablePages(p.pages, capacity) > tokens) break; // strict order: no overtaking, or a big project could starve
    poll.push(p.projectId);
    cost += p.pages;
  }
  return { poll, cost };
}

/** The tokens a read of `pages` pages waits for: its pages, or a full budget when it is bigger. */
export function affordablePages(pages: number, capacity: number): number {
  return Math.min(pages, Math.max(1, Math.floor(capacity)));
}

/**
 * How many tasks per polled project the rotation may read with the tokens left after the list
 * reads: the configured count, or fewer when the budget is short (list reads always go first).
 */
export function rotationPerProject(tokensLeft: number, polledProjects: number, configured: number): number {
  if (polledProjects === 0 || configured <= 0 || tokensLeft <= 0) return 0;
  return Math.max(0, Math.min(configured, Math.floor(tokensLeft / (SUBRESOURCE_READS_PER_TASK * polledProjects))));
}

/**
 * The next `count` task ids after `cursor` in outline order, wrapping around; the new cursor is
 * the last id returned. A cursor that no longer exists restarts at the top — a deleted task only
 * shifts the rotation, it never skips a whole lap.
 */
export function rotate(
  taskIds: readonly string[],
  cursor: string | null,
  count: number,
): { ids: string[]; cursor: string | null } {
  if (taskIds.length === 0 || count <= 0) return { ids: [], cursor };
  const n = Math.min(count, taskIds.length);
  const at = cursor === null ? -1 : taskIds.indexOf(cursor);
  const ids: string[] = [];
  for (let i = 1; i <= n; i += 1) ids.push(taskIds[(at + i) % taskIds.length] as string);
  return { ids, cursor: ids[ids.length - 1] ?? cursor };
}

/**
 * The documented staleness bound of a remote note/date/assignee edit on an unchanged task: the
 * rotation needs ⌈tasks / perPoll⌉ polls to come round, one interval apart.
 */
export function staleBoundMs(taskCount: number, perPoll: number, intervalMs: number): number {
  if (perPoll <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil(taskCount / perPoll) * intervalMs;
}

/** Plain code-unit order: `localeCompare` would load ICU's collation data (about 2.7 MB RSS) for a tie-break. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
