import type { Intent } from '../journal/index.js';
import { isNewId, NEW_ID_PREFIX, type TaskRecord } from '../model/task.js';
import { editedInFile } from './plan.js';
import type { LocalTask } from './types.js';

export interface RemoteListTask {
  id: string;
  text: string;
  parentId: string | null;
  completed: boolean;
}

export interface Adoption {
  intent: Intent;
  /** The task the lost create made. */
  taskId: string;
  /** The local item it belongs to, or null when the user removed the item since. */
  localKey: string | null;
}

export interface AdoptResult {
  adoptions: Adoption[];
  /** Intents whose create never reached Taskade (or whose answered task is gone): drop them, the item is planned afresh. */
  dropped: Intent[];
  /** The local view with adopted items carrying their Taskade id (children re-parented). */
  local: LocalTask[];
  /** The base with the adopted tasks added as the create left them (null stays null). */
  base: TaskRecord[] | null;
}

/**
 * After a crash or a lost create response, the create intents left in the journal are matched
 * against the remote list: a task under the intent's parent with the intent's text that neither
 * the base nor another intent accounts for is the task that create made, and is adopted instead of
 * created again (DESIGN §6 property 5). An intent with no such task never reached Taskade.
 *
 * The adopted task enters the base with the values a fresh create has (open, no note/date/
 * assignees), so the planner pushes whatever else the local item holds and nothing is duplicated.
 *
 * A create whose answer came but whose file could not be written (the user was editing it) has
 * its answer in the intent: the task is adopted by its id, with the values that run left on
 * Taskade as its base, so nothing it sent is sent, or read, again.
 */
export function adoptIntents(
  intents: Intent[],
  remote: RemoteListTask[],
  base: TaskRecord[] | null,
  local: LocalTask[],
): AdoptResult {
  if (intents.length === 0) return { adoptions: [], dropped: [], local, base };
  const baseIds = new Set<string>((base ?? []).map((t) => t.id));
  const known = new Set<string>(baseIds);
  for (const t of local) if (!isNewId(t.id)) known.add(t.id);
  const taken = new Set<string>();
  const usedLocal = new Set<string>();
  const adoptions: Adoption[] = [];
  const dropped: Intent[] = [];
  const rename = new Map<string, string>();
  /** A restored task's old id (a base row) → the task its re-create made. */
  const restored = new Map<string, string>();

  for (const intent of intents) {
    // An answered create is its task, wherever Taskade has it now; a lost answer is found by its
    // place and text.
    const answer = intent.answer;
    const match =
      answer !== undefined
        ? remote.find((r) => r.id === answer.taskId && !known.has(r.id) && !taken.has(r.id))
        : remote.find(
            (r) => !known.has(r.id) && !taken.has(r.id) && r.parentId === intent.parentId && r.text === intent.text,
          );
    if (match === undefined) {
      dropped.push(intent);
      continue;
    }
    taken.add(match.id);
    const parentLocalId = intent.parentId;
    const text = answer?.record.text ?? intent.text;
    // A restored task (deleted in Taskade, kept by the file) was created under `new:<key>` while its
    // item still carries the old id: that item is the create's too.
    const candidates = local.filter(
      (t) => (isNewId(t.id) || intent.ref === newIdOf(t.key)) && !usedLocal.has(t.key) && t.text === text,
    );
    const item =
      candidates.find((t) => t.id === intent.ref || intent.ref === newIdOf(t.key)) ??
      candidates.find((t) => (rename.get(t.parentId ?? '') ?? t.parentId) === parentLocalId) ??
      null;
    if (item !== null) {
      usedLocal.add(item.key);
      rename.set(item.id, match.id);
      if (!isNewId(item.id) && baseIds.has(item.id)) restored.set(item.id, match.id);
    }
    adoptions.push({ intent, taskId: match.id, localKey: item?.key ?? null });
  }

  const nextLocal = local.map((t) => {
    const id = rename.get(t.id) ?? t.id;
    const parentId = t.parentId === null ? null : (rename.get(t.parentId) ?? t.parentId);
    return id === t.id && parentId === t.parentId ? t : { ...t, id, parentId };
  });

  let nextBase = base;
  if (base !== null && adoptions.length > 0) {
    const kindOf = new Map(nextLocal.map((t) => [t.id, t.kind] as const));
    const adopted = new Map(adoptions.map((a) => [a.taskId, a.intent] as const));
    // A restored task the file kept only as the ancestor of one it edited: its re-create takes the
    // place of its old row, whose children are its children — they did not move, and one the file
    // left alone stays deleted, as Taskade has it. One the file edited or moved (or inside such a
    // one) comes back with its whole file subtree: its old row stays, so its children, under the
    // new task in the file, read as moved there, and come back too.
    const whole = keptWhole(base, local, remote, restored);
    for (const oldId of whole) restored.delete(oldId);
    const restoredFrom = new Map([...restored].map(([oldId, id]) => [id, oldId] as const));
    const rows = base.map((b) => {
      const parentId = b.parentId === null ? null : (restored.get(b.parentId) ?? b.parentId);
      return parentId === b.parentId ? b : { ...b, parentId };
    });
    for (const r of remote) {
      const intent = adopted.get(r.id);
      if (intent === undefined) continue;
      // An answered create's values are what that run left on Taskade (a change since then is
      // Taskade's change); a lost answer's are a fresh create's.
      const answered = intent.answer?.record;
      const record = (): TaskRecord => ({
        id: r.id,
        parentId: r.parentId,
        kind: kindOf.get(r.id) ?? answered?.kind ?? 'task',
        text: answered?.text ?? r.text,
        completed: answered?.completed ?? r.completed,
        note: answered?.note ?? null,
        due: answered?.due ?? null,
        assignees: answered?.assignees ?? [],
      });
      const oldId = restoredFrom.get(r.id);
      const at = oldId === undefined ? -1 : rows.findIndex((b) => b.id === oldId);
      if (at >= 0) {
        rows[at] = record();
        continue;
      }
      // Place it where the remote list has it: after its previous remote sibling that the base knows.
      const siblings = remote.filter((s) => s.parentId === r.parentId);
      const before = siblings
        .slice(0, siblings.indexOf(r))
        .reverse()
        .find((s) => rows.some((b) => b.id === s.id));
      rows.splice(insertionIndex(rows, r.parentId, before?.id ?? null), 0, record());
    }
    nextBase = rows;
  }
  return { adoptions, dropped, local: nextLocal, base: nextBase };
}

const newIdOf = (key: string): string => `${NEW_ID_PREFIX}${key}`;

/**
 * The restored tasks (old ids of `restored`) that the file keeps with their whole subtree: it
 * edited or moved them, or an ancestor deleted in Taskade too (the survival rule of `plan`).
 */
function keptWhole(
  base: TaskRecord[],
  local: LocalTask[],
  remote: RemoteListTask[],
  restored: ReadonlyMap<string, string>,
): Set<string> {
  if (restored.size === 0) return new Set();
  const onTaskade = new Set(remote.map((r) => r.id));
  const deleted = new Set(base.filter((b) => !onTaskade.has(b.id)).map((b) => b.id));
  const edited = editedInFile(base, local, deleted);
  const parentOf = new Map(local.map((t) => [t.id, t.parentId] as const));
  const whole = new Set<string>();
  for (const oldId of restored.keys()) {
    for (let id: string | null | undefined = oldId; id != null; id = parentOf.get(id)) {
      if (edited.has(id)) {
        whole.add(oldId);
        break;
      }
    }
  }
  return whole;
}

/** Pre-order index at which a new child of `parent` goes right after sibling `after` (null = first). */
export function insertionIndex(rows: TaskRecord[], parent: string | null, after: string | null): number {
  if (after !== null) {
    const at = rows.findIndex((r) => r.id === after);
    if (at >= 0) return at + subtreeSize(rows, at);
  }
  if (parent === null) return 0;
  const p = rows.findIndex((r) => r.id === parent);
  return p >= 0 ? p + 1 : rows.length;
}

function subtreeSize(rows: TaskRecord[], index: number): number {
  const inside = new Set([rows[index]!.id]);
  let n = 1;
  for (let i = index + 1; i < rows.length; i += 1) {
    const parent = rows[i]!.parentId;
    if (parent === null || !inside.has(parent)) break;
    inside.add(rows[i]!.id);
    n += 1;
  }
  return n;
}
