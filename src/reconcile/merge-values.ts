import type { ConflictMarker } from '../model/local-change.js';
import { FIELDS, fieldEquals, pickValues, type Field, type TaskRecord, type TaskValues } from '../model/task.js';
import type { Conflict, PendingConflict } from './types.js';

export interface ValueMerge {
  values: TaskValues;
  /** Fields with a pending conflict whose marker is still in the file: not written on either side. */
  frozen: Set<Field>;
  conflicts: Conflict[];
  /** Markers for the fields that lost in this run. */
  markers: ConflictMarker[];
  stillPending: PendingConflict[];
  resolved: Field[];
}

/**
 * The per-field three-way merge of a task both sides hold (vdirsyncer-style decision table).
 * With base b, local l, remote r:
 * - l = r: that value (the base advances, nothing is written);
 * - l = b ≠ r: r comes down; r = b ≠ l: l goes up;
 * - both changed differently, or no base and they differ: a conflict — the winner's value on both
 *   sides, the loser's in a marker beside the item;
 * - a pending conflict whose marker is still in the file: the field is left alone and keeps the
 *   base value (the base does not advance) — unless the file shows the winner's value and Taskade
 *   the base's: the winner's push failed in the run that found the conflict, and it goes up now;
 * - a pending conflict whose marker was never written (owed): the marker is written now;
 * - a pending conflict whose marker the user removed: the local value is the resolution. If it
 *   still equals the base (the user took the winner) a newer remote value may come down; otherwise
 *   it goes up even if the remote changed meanwhile.
 */
export function mergeValues(
  taskId: string,
  base: TaskRecord | undefined,
  local: TaskValues & { conflicts: ConflictMarker[] },
  remote: TaskValues,
  pending: readonly PendingConflict[],
  winner: 'local' | 'remote',
): ValueMerge {
  const values = pickValues(local);
  const out: ValueMerge = { values, frozen: new Set(), conflicts: [], markers: [], stillPending: [], resolved: [] };
  const set = <F extends Field>(field: F, value: TaskValues[F]): void => {
    values[field] = value;
  };
  for (const field of FIELDS) {
    const l = local[field];
    const r = remote[field];
    const b = base?.[field];
    const same = (x: TaskValues[Field], y: TaskValues[Field]) => fieldEquals(field, x, y);
    const open = pending.find((p) => p.field === field);
    if (open?.owed !== undefined && !local.conflicts.some((m) => m.field === field)) {
      // Kept in the journal before the winner was pushed, but never shown: show it now. The
      // winner is on both sides already (or the local side moved on, and that goes up).
      const { owed } = open;
      set(field, open.winner === 'local' ? l : r);
      out.conflicts.push({
        taskId,
        field,
        base: owed.base,
        local: owed.local,
        remote: owed.remote,
        winner: open.winner,
      });
      out.markers.push({ field, value: (open.winner === 'local' ? owed.remote : owed.local) as TaskValues[Field] });
      continue;
    }
    if (open !== undefined && base !== undefined) {
      if (local.conflicts.some((m) => m.field === field)) {
        out.stillPending.push(open);
        if (open.won !== undefined && same(l, open.won as TaskValues[Field]) && !same(l, b!) && same(r, b!)) {
          // The file shows the winner, Taskade still the base: the run that found the conflict
          // could not push it (a failed request). It goes up now; the marker stays.
          set(field, l);
          continue;
        }
        out.frozen.add(field);
        set(field, base[field]);
        continue;
      }
      out.resolved.push(field);
      set(field, same(l, r) || !same(l, base[field]) ? l : r);
      continue;
    }
    if (open !== undefined) out.resolved.push(field);
    if (same(l, r)) set(field, l);
    else if (b !== undefined && same(l, b)) set(field, r);
    else if (b !== undefined && same(r, b)) set(field, l);
    else {
      set(field, winner === 'local' ? l : r);
      out.conflicts.push({ taskId, field, base: b ?? null, local: l, remote: r, winner });
      out.markers.push({ field, value: winner === 'local' ? r : l });
    }
  }
  return out;
}
