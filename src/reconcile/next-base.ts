import { FIELDS, isNewId, type Field, type RemoteTaskRecord, type TaskRecord, type TaskValues } from '../model/task.js';
import type { RemoteOp } from './types.js';

/** What a created task holds before its sub-resource requests: open, no note, date or assignees. */
const CREATED_DEFAULTS: Omit<TaskValues, 'text'> = { completed: false, note: null, due: null, assignees: [] };

export interface BaseInputs {
  /** The plan's target (pre-order; created tasks under their refs). */
  target: readonly TaskRecord[];
  /** The base the plan was made against (null: none). */
  oldBase: readonly TaskRecord[] | null;
  /** The remote records the plan was made against (`undefined` fields were not read = the base's). */
  remote: readonly RemoteTaskRecord[];
  /** create ref → Taskade id. */
  created: ReadonlyMap<string, string>;
  /** Ops that failed or were not attempted, and ops refused before sending. */
  failed: readonly RemoteOp[];
  /**
   * Taskade's lists as the run left them (its successful requests applied): a task a failed
   * delete or move leaves in place goes after its sibling there, which may be a task this run
   * created before it. Without it, the list read before the run.
   */
  lists?: { parentOf(id: string): string | null | undefined; siblings(parent: string | null): readonly string[] };
}

/**
 * The base after a run whose file write succeeded: the target, with every operation that did not
 * happen undone in it — a field whose request failed keeps what Taskade still holds, a move that
 * failed leaves the task where Taskade has it, a delete that failed keeps the task, a create that
 * failed (and its subtree) stays out. The next run then sees exactly the work still to do, on
 * the side where it is still to be done (DESIGN §6 property 8: nothing journaled for what failed).
 */
export function nextBase(o: BaseInputs): TaskRecord[] {
  const remoteById = new Map(o.remote.map((r) => [r.id, r] as const));
  const baseById = new Map((o.oldBase ?? []).map((b) => [b.id, b] as const));
  const real = (x: string | null): string | null => (x === null ? null : (o.created.get(x) ?? x));

  // Tree form of the target, with refs resolved; failed creates leave with their subtree.
  const rows = new Map<string, TaskRecord>();
  const freshIds = new Set<string>();
  const children = new Map<string | null, string[]>();
  const dropped = new Set<string>();
  for (const t of o.target) {
    if ((t.parentId !== null && dropped.has(t.parentId)) || (isNewId(t.id) && !o.created.has(t.id))) {
      dropped.add(t.id);
      continue;
    }
    const id = real(t.id)!;
    const fresh = isNewId(t.id);
    rows.set(id, {
      ...t,
      id,
      parentId: real(t.parentId),
      assignees: [...t.assignees],
      due: t.due === null ? null : { ...t.due },
    });
    if (fresh) freshIds.add(id);
    childList(t.parentId === null ? null : real(t.parentId)).push(id);
  }

  for (const op of o.failed) {
    if (op.op === 'create') continue;
    const id = real(op.id);
    if (id === null || (isNewId(op.id) && !o.created.has(op.id))) continue;
    if (op.op === 'delete') {
      restore(id);
      continue;
    }
    const row = rows.get(id);
    if (row === undefined) continue;
    if (op.op === 'move') {
      const r = remoteById.get(id);
      if (r !== undefined) place(id, r.parentId, previousSibling(r));
      continue;
    }
    const field: Field =
      op.op === 'update-text'
        ? 'text'
        : op.op === 'set-completed'
          ? 'completed'
          : op.op === 'set-note'
            ? 'note'
            : op.op === 'set-due'
              ? 'due'
              : 'assignees';
    setField(row, field, held(id, field));
  }

  const out: TaskRecord[] = [];
  const walk = (parent: string | null): void => {
    for (const id of children.get(parent) ?? []) {
      const row = rows.get(id);
      if (row === undefined) continue;
      out.push(row);
      walk(id);
    }
  };
  walk(null);
  return out;

  /** What Taskade holds for the field after the failed request: its value as read, else the base's (unread = unchanged), else a fresh task's. */
  function held(id: string, field: Field): TaskValues[Field] {
    if (freshIds.has(id))
      return field === 'text' ? rows.get(id)!.text : CREATED_DEFAULTS[field as Exclude<Field, 'text'>];
    const r = remoteById.get(id);
    const v = r?.[field];
    if (v !== undefined) return v;
    const b = baseById.get(id);
    return b !== undefined
      ? b[field]
      : field === 'text'
        ? rows.get(id)!.text
        : CREATED_DEFAULTS[field as Exclude<Field, 'text'>];
  }

  function restore(id: string): void {
    if (rows.has(id)) return;
    const r = remoteById.get(id);
    const b = baseById.get(id);
    if (r === undefined && b === undefined) return;
    const parent = r?.parentId ?? b?.parentId ?? null;
    if (parent !== null && !rows.has(parent)) restore(parent);
    const values = {} as TaskValues;
    for (const f of FIELDS)
      setField(
        values,
        f,
        r?.[f] !== undefined
          ? r[f]!
          : b !== undefined
            ? b[f]
            : f === 'text'
              ? ''
              : CREATED_DEFAULTS[f as Exclude<Field, 'text'>],
      );
    rows.set(id, { id, parentId: parent, kind: b?.kind ?? 'task', ...values });
    place(id, parent, r === undefined ? null : previousSibling(r));
    // Its remote children were deleted with it only if the delete had happened: they stay too.
    for (const c of o.remote) if (c.parentId === id) restore(c.id);
  }

  function place(id: string, parent: string | null, after: string | null): void {
    for (const list of children.values()) {
      const at = list.indexOf(id);
      if (at >= 0) list.splice(at, 1);
    }
    const row = rows.get(id);
    if (row !== undefined) row.parentId = parent;
    const list = childList(parent);
    const at = after === null ? 0 : list.indexOf(after) + 1;
    list.splice(at <= 0 && after !== null ? list.length : at, 0, id);
  }

  /** The task's previous sibling that the rows hold: in Taskade's lists as the run left them, else as read. */
  function previousSibling(r: RemoteTaskRecord): string | null {
    if (o.lists !== undefined && o.lists.parentOf(r.id) === r.parentId) {
      const siblings = o.lists.siblings(r.parentId);
      const before = siblings
        .slice(0, siblings.indexOf(r.id))
        .reverse()
        .find((s) => rows.has(s));
      return before ?? null;
    }
    return previousRemoteSibling(r);
  }

  function previousRemoteSibling(r: RemoteTaskRecord): string | null {
    const siblings = o.remote.filter((s) => s.parentId === r.parentId);
    const before = siblings
      .slice(0, siblings.indexOf(r))
      .reverse()
      .find((s) => rows.has(s.id));
    return before?.id ?? null;
  }

  function childList(parent: string | null): string[] {
    let list = children.get(parent);
    if (list === undefined) {
      list = [];
      children.set(parent, list);
    }
    return list;
  }
}

function setField(target: TaskValues, field: Field, value: TaskValues[Field]): void {
  (target as unknown as Record<Field, TaskValues[Field]>)[field] = value;
}

/**
 * The base after a run whose file could not be written (it kept changing, or the user is editing
 * it): the old base with only the effects that do not need the file applied — subtrees deleted on
 * both sides leave. Tasks created remotely stay out: their ids are not in the file yet, and their
 * intents let the next run adopt them.
 */
export function baseWithoutFileWrite(oldBase: readonly TaskRecord[], deleted: Iterable<string>): TaskRecord[] {
  let rows = [...oldBase];
  for (const id of deleted) {
    const gone = new Set([id]);
    rows = rows.filter((r) => {
      if (gone.has(r.id) || (r.parentId !== null && gone.has(r.parentId))) {
        gone.add(r.id);
        return false;
      }
      return true;
    });
  }
  return rows;
}
