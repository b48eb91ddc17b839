import { isNewId, type TaskRecord } from '../model/task.js';
import { insertionIndex } from './adopt.js';

/**
 * The base after a run in which every operation succeeded and the file holds the result: the
 * plan's target with create refs replaced by the ids Taskade gave. Items Taskade refused (text
 * over its limit) stay out with their subtree, and a refused text edit keeps the base's text, so
 * the next run tries again and reports it again.
 */
export function completedBase(
  target: readonly TaskRecord[],
  created: ReadonlyMap<string, string>,
  keepText: ReadonlyMap<string, string>,
): TaskRecord[] {
  const out: TaskRecord[] = [];
  const dropped = new Set<string>();
  for (const record of target) {
    if ((record.parentId !== null && dropped.has(record.parentId)) || (isNewId(record.id) && !created.has(record.id))) {
      dropped.add(record.id);
      continue;
    }
    const id = created.get(record.id) ?? record.id;
    const parentId = record.parentId === null ? null : (created.get(record.parentId) ?? record.parentId);
    const text = keepText.get(record.id) ?? record.text;
    out.push({ ...record, id, parentId, text, assignees: [...record.assignees], due: record.due === null ? null : { ...record.due } });
  }
  return out;
}

/**
 * The base after a partial run (a request failed, or the file could not be written): the old base
 * with only the effects that matter for identity applied — subtrees deleted on both sides leave,
 * tasks created remotely whose id reached the file join. Everything else is left to the next
 * run, where equal values on both sides simply advance the base (no request is repeated).
 */
export function partialBase(
  oldBase: readonly TaskRecord[],
  effects: { deleted: Iterable<string>; joined: ReadonlyArray<{ record: TaskRecord; after: string | null }> },
): TaskRecord[] {
  let rows = [...oldBase];
  for (const id of effects.deleted) {
    const gone = new Set([id]);
    rows = rows.filter((r) => {
      if (gone.has(r.id) || (r.parentId !== null && gone.has(r.parentId))) {
        gone.add(r.id);
        return false;
      }
      return true;
    });
  }
  for (const { record, after } of effects.joined) {
    if (rows.some((r) => r.id === record.id)) continue;
    if (record.parentId !== null && !rows.some((r) => r.id === record.parentId)) continue;
    rows.splice(insertionIndex(rows, record.parentId, after), 0, record);
  }
  return rows;
}
