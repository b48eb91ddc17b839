/**
 * The engine's decisions about one file, as pure functions (DESIGN §3): what to do given the
 * three views (decide), which changes the file gets once Taskade answered (fileChanges), and how
 * the file's pass ended (fileOutcome). The engine gathers the inputs and acts on the answers; it
 * decides nothing itself.
 */
import type { LocalChange, NewItem } from '../model/local-change.js';
import type { FileOutcome } from '../model/outcome.js';
import { fieldEquals, NEW_ID_PREFIX, type RemoteTaskRecord, type TaskRecord } from '../model/task.js';
import type { Adoption } from './adopt.js';
import type { Carried, MovedOut } from './moved.js';
import { plan as makePlan } from './plan.js';
import type { LocalTask, PendingConflict, Plan, PlanGuard, PlanOptions, RemoteOp } from './types.js';

export interface DecideInput {
  /** The base with this run's adoptions (null: no journal for the project). */
  base: TaskRecord[] | null;
  /** The file, with adopted items carrying their Taskade id. */
  local: LocalTask[];
  /** The remote tree, sub-resources read where they may differ (`undefined` elsewhere). */
  remote: RemoteTaskRecord[];
  pending: PendingConflict[];
  /** Tasks made by an earlier run whose answer was lost, matched to their items. */
  adoptions: readonly Adoption[];
  options: PlanOptions;
  dryRun: boolean;
  /** Tasks whose items went to another linked file (`PlanInput.movedOut`). */
  movedOut?: MovedOut;
  /** Items that came from another linked file (`PlanInput.carried`). */
  carried?: ReadonlyMap<string, Carried>;
}

export type Verdict =
  /** A guard fired and `--force` was not given: nothing may change. */
  | { kind: 'guard'; message: string }
  /** A dry run: the plan is the answer, nothing is applied. */
  | { kind: 'dry-run'; outcome: Extract<FileOutcome, 'unchanged' | 'synced' | 'conflicts'> }
  | { kind: 'apply' };

export interface Decision {
  plan: Plan;
  verdict: Verdict;
}

export function decide(input: DecideInput): Decision {
  // With no base, the planner cannot tell a lost create's defaults (open, no note…) from a remote
  // choice, and would report conflicts: for adopted tasks, plan with the local values and push the
  // differences from what Taskade holds ourselves (all sub-resources were read: there is no base).
  const fix =
    input.base === null
      ? adoptedWithoutBase(input.adoptions, input.local, input.remote)
      : { remote: input.remote, ops: [] };
  const planned = makePlan({
    base: input.base,
    local: input.local,
    remote: fix.remote,
    pending: input.pending,
    options: input.options,
    ...(input.movedOut !== undefined ? { movedOut: input.movedOut } : {}),
    ...(input.carried !== undefined ? { carried: input.carried } : {}),
  });
  const plan = fix.ops.length === 0 ? planned : { ...planned, remote: [...planned.remote, ...fix.ops] };
  if (plan.guard !== null && !input.options.force)
    return { plan, verdict: { kind: 'guard', message: guardMessage(plan.guard) } };
  if (input.dryRun) {
    const outcome =
      plan.remote.length + plan.local.length > 0 ? 'synced' : plan.stillPending.length > 0 ? 'conflicts' : 'unchanged';
    return { plan, verdict: { kind: 'dry-run', outcome } };
  }
  return { plan, verdict: { kind: 'apply' } };
}

export function guardMessage(g: PlanGuard): string {
  return g.reason === 'empty-side'
    ? `the ${g.side} side is empty while the journal holds ${g.total} tasks; nothing changed (run with --force if this is intended)`
    : `this run would delete ${g.deletes} of ${g.total} tasks on the ${g.side} side; nothing changed (run with --force if this is intended)`;
}

/**
 * What the file gets once Taskade answered: the plan's local changes, then the ids of the tasks
 * this run created (refs are `new:<outline key>`, for new items and restored ones alike) and of
 * the adopted ones, for items still in the file. With `ids: "none"` no block id is written anywhere.
 */
export function fileChanges(input: {
  local: readonly LocalChange[];
  created: ReadonlyMap<string, string>;
  adoptions: readonly Adoption[];
  /** The outline keys of the file's items. */
  keys: ReadonlySet<string>;
  /** Headings that still carry an id an older version wrote (key → task id): set-id removes it. */
  headingIds?: ReadonlyMap<string, string>;
  ids: 'block' | 'none';
}): LocalChange[] {
  const changes: LocalChange[] = [...input.local];
  const idChanges = new Map<string, string>(); // key → Taskade id written into the file
  for (const [ref, id] of input.created) {
    const key = ref.slice(NEW_ID_PREFIX.length);
    if (input.keys.has(key)) idChanges.set(key, id);
  }
  for (const a of input.adoptions) if (a.localKey !== null) idChanges.set(a.localKey, a.taskId);
  for (const [key, id] of input.headingIds ?? []) if (!idChanges.has(key)) idChanges.set(key, id);
  for (const [key, id] of idChanges) changes.push({ type: 'set-id', key, id });
  return input.ids === 'none' ? withoutIds(changes) : changes;
}

/** A sub-resource of a task: what costs one request each to read (DESIGN §1). */
export type SubField = 'note' | 'due' | 'assignees';
export const SUB_FIELDS: readonly SubField[] = ['note', 'due', 'assignees'];

/**
 * The remote values a plan would overwrite or delete without having read them (Taskade has no
 * ETags, so the engine makes its own precondition: it reads what it is about to replace). A
 * set-note/-due/-assignees on an existing task needs that one field; a delete needs every
 * sub-resource of every task in the deleted subtree, and of every Taskade ancestor of it that the
 * file deleted: an edit there beats the file's delete for that task's whole subtree (plan.ts),
 * deleted task included. The plan keeps such an ancestor anyway when a changed task under it is
 * kept; unread, its own edit would go unseen and the rest of its subtree be deleted. Tasks created
 * in this plan need nothing. Returns task id → the fields to read (empty: the plan writes nothing blind).
 */
export function unverifiedReads(
  plan: Plan,
  remote: readonly RemoteTaskRecord[],
  local: readonly Pick<LocalTask, 'id'>[],
): Map<string, Set<SubField>> {
  const byId = new Map(remote.map((r) => [r.id, r] as const));
  const inFile = new Set(local.map((t) => t.id));
  const children = new Map<string | null, string[]>();
  for (const r of remote) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const out = new Map<string, Set<SubField>>();
  const need = (id: string, field: SubField): void => {
    const r = byId.get(id);
    if (r === undefined || r[field] !== undefined) return;
    const set = out.get(id) ?? new Set<SubField>();
    set.add(field);
    out.set(id, set);
  };
  for (const op of plan.remote) {
    if (op.op === 'set-note') need(op.id, 'note');
    else if (op.op === 'set-due') need(op.id, 'due');
    else if (op.op === 'set-assignees') need(op.id, 'assignees');
    else if (op.op === 'delete') {
      const stack = [op.id];
      while (stack.length > 0) {
        const id = stack.pop()!;
        for (const f of SUB_FIELDS) need(id, f);
        stack.push(...(children.get(id) ?? []));
      }
      for (let p = byId.get(op.id)?.parentId ?? null; p !== null; p = byId.get(p)?.parentId ?? null) {
        if (!inFile.has(p)) for (const f of SUB_FIELDS) need(p, f);
      }
    }
  }
  return out;
}

/**
 * The most GETs a plan the share guard stopped may cost before the verdict is given on it: the
 * size of one detail pass of a streamed first sync (50 tasks × note, date and assignees,
 * `DETAIL_CHUNK_MIN` in engine/sync-once.ts), 2.5 minutes at 60 requests/min.
 */
export const GUARD_READS_MAX = 150;

/**
 * What to read before a guard's verdict stands (DESIGN §3 "Safety guards"). The guard judges the
 * plan that would be applied, and that plan comes after the verified reads (`unverifiedReads`):
 * a note, date or assignee edited in Taskade keeps a task the file deleted, with its subtree, so a
 * plan that looks like a mass delete unread may delete little or nothing once read. Hence:
 * - an empty side stands at once, before any read (a file emptied by mistake costs its list read);
 * - a mass delete waits for the reads its plan owes (the plan as if forced: the stopped plan is
 *   empty) while they come to at most GUARD_READS_MAX with the `spent` ones, read for this verdict
 *   in earlier rounds; the caller reads them, decides again and asks again;
 * - past that bound it stands on the plan unread, which is the safe side: nothing changes.
 * Returns the fields to read (task id → fields); empty when the verdict stands.
 */
export function readsBeforeGuard(input: DecideInput, decision: Decision, spent: number): Map<string, Set<SubField>> {
  const none = new Map<string, Set<SubField>>();
  const guard = decision.plan.guard;
  if (decision.verdict.kind !== 'guard' || guard === null || guard.reason === 'empty-side') return none;
  const unguarded = decide({ ...input, options: { ...input.options, force: true } }).plan;
  const owed = unverifiedReads(unguarded, input.remote, input.local);
  return spent + readCount(owed) <= GUARD_READS_MAX ? owed : none;
}

/** How many GETs a set of reads costs (one per field). */
export function readCount(reads: ReadonlyMap<string, ReadonlySet<SubField>>): number {
  let n = 0;
  for (const fields of reads.values()) n += fields.size;
  return n;
}

/** How a file's applied pass ended, most telling first (the run's exit code follows from it). */
export function fileOutcome(input: {
  failedOps: number;
  held: boolean;
  conflicts: number;
  stillPending: number;
  remoteOps: number;
  fileChanged: boolean;
}): Extract<FileOutcome, 'failed' | 'held' | 'conflicts' | 'synced' | 'unchanged'> {
  if (input.failedOps > 0) return 'failed';
  if (input.held) return 'held';
  if (input.conflicts > 0 || input.stillPending > 0) return 'conflicts';
  return input.remoteOps > 0 || input.fileChanged ? 'synced' : 'unchanged';
}

function adoptedWithoutBase(
  adoptions: readonly Adoption[],
  local: readonly LocalTask[],
  remote: RemoteTaskRecord[],
): { remote: RemoteTaskRecord[]; ops: RemoteOp[] } {
  const localById = new Map(local.map((t) => [t.id, t] as const));
  const adopted = new Set(adoptions.filter((a) => a.localKey !== null).map((a) => a.taskId));
  if (adopted.size === 0) return { remote, ops: [] };
  const ops: RemoteOp[] = [];
  const out = remote.map((r) => {
    const l = localById.get(r.id);
    if (!adopted.has(r.id) || l === undefined) return r;
    if (l.completed !== r.completed) ops.push({ op: 'set-completed', id: r.id, completed: l.completed });
    if (r.note !== undefined && l.note !== r.note) ops.push({ op: 'set-note', id: r.id, note: l.note });
    if (r.due !== undefined && !fieldEquals('due', l.due, r.due)) ops.push({ op: 'set-due', id: r.id, due: l.due });
    if (r.assignees !== undefined && !fieldEquals('assignees', l.assignees, r.assignees)) {
      ops.push({ op: 'set-assignees', id: r.id, assignees: l.assignees, previous: r.assignees });
    }
    return { ...r, completed: l.completed, note: l.note, due: l.due, assignees: l.assignees };
  });
  return { remote: out, ops };
}

/** For `ids: "none"`: the same changes, writing no block id anywhere. */
function withoutIds(changes: LocalChange[]): LocalChange[] {
  const strip = (item: NewItem): NewItem => ({ ...item, id: null, children: item.children.map(strip) });
  return changes
    .filter((c) => c.type !== 'set-id')
    .map((c) => (c.type === 'insert' ? { ...c, item: strip(c.item) } : c));
}
