import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS, fieldEquals, type Field, type TaskRecord, type TaskValues } from '../../src/model/task.js';
import { plan, scheduleOps, type Plan, type PlanInput } from '../../src/reconcile/index.js';
import { fcParams } from '../support/fc.js';
import { applyLocal, applyRemote } from './support/apply.js';
import { applyPlan, localShape, remoteShape, replan } from './support/converge.js';
import { scenarioArb, scenarios, type Scenario } from './support/generate.js';

/** Fields of tasks on both sides, with base, local and remote values (remote as actually held). */
function bothSides(
  s: Scenario,
): Array<{ id: string; field: Field; b: TaskValues[Field]; l: TaskValues[Field]; r: TaskValues[Field] }> {
  const out: ReturnType<typeof bothSides> = [];
  const base = new Map((s.input.base ?? []).map((t) => [t.id, t]));
  const remote = new Map(s.remote.map((t) => [t.id, t]));
  for (const l of s.input.local) {
    const b = base.get(l.id);
    const r = remote.get(l.id);
    if (!b || !r) continue;
    for (const field of FIELDS) out.push({ id: l.id, field, b: b[field], l: l[field], r: r[field] });
  }
  return out;
}

function targetOf(result: Plan, id: string): TaskRecord | undefined {
  return result.target.find((t) => t.id === id);
}

/** Every remote op and local update that writes `field` of task `id` (key = id for base tasks). */
function writes(result: Plan, s: Scenario, id: string, field: Field): unknown[] {
  const opFor: Record<Field, string> = {
    text: 'update-text',
    completed: 'set-completed',
    note: 'set-note',
    due: 'set-due',
    assignees: 'set-assignees',
  };
  const key = s.input.local.find((t) => t.id === id)?.key;
  return [
    ...result.remote.filter((op) => op.op === opFor[field] && 'id' in op && op.id === id),
    ...result.local.filter((c) => c.type === 'update' && c.key === key && field in c.values),
  ];
}

describe('plan() properties', () => {
  it('applying the plan to both sides gives both the target', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        const applied = applyPlan(s.input, result, s.remote);
        expect(remoteShape(applied.remote)).toEqual(remoteShape(applied.target));
        expect(localShape(applied.local)).toEqual(localShape(applied.target));
      }),
      fcParams(),
    );
  });

  it('planning again from (target, L′, R′) is empty', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        const next = replan(s.input, result, applyPlan(s.input, result, s.remote));
        expect({
          remote: next.remote,
          local: next.local,
          conflicts: next.conflicts,
          moves: next.moveConflicts,
        }).toEqual({
          remote: [],
          local: [],
          conflicts: [],
          moves: [],
        });
        expect(next.stillPending).toHaveLength(result.conflicts.length);
      }),
      fcParams(),
    );
  });

  it('changes made on the file only (adds, deletes, moves, reorders, edits) all reach Taskade as they are', () => {
    fc.assert(
      fc.property(scenarios({ edited: 'local', journal: true }), (s) => {
        const result = plan(s.input);
        expect(result.local).toEqual([]);
        expect(result.conflicts).toEqual([]);
        const localIds = s.input.local.map((t) => (s.input.base!.some((b) => b.id === t.id) ? t.id : `new:${t.key}`));
        const asTarget = s.input.local.map((t, i) => ({
          ...t,
          id: localIds[i]!,
          parentId: t.parentId?.startsWith('new:') ? `new:${t.parentId.slice(4)}` : t.parentId,
        }));
        expect(localShape(result.target)).toEqual(localShape(asTarget));
      }),
      fcParams(),
    );
  });

  it('changes made on Taskade only all reach the file as they are', () => {
    fc.assert(
      fc.property(scenarios({ edited: 'remote', journal: true }), (s) => {
        const result = plan(s.input);
        expect(result.remote).toEqual([]);
        expect(result.conflicts).toEqual([]);
        expect(remoteShape(result.target)).toEqual(remoteShape(s.remote));
      }),
      fcParams(),
    );
  });

  it('removing the conflict markers (keeping the winner) resolves every conflict without a write', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        const applied = applyPlan(s.input, result, s.remote);
        const cleared = applied.local.map((t) => ({ ...t, conflicts: [] }));
        const next = replan(s.input, result, { ...applied, local: cleared });
        expect({ remote: next.remote, local: next.local, conflicts: next.conflicts }).toEqual({
          remote: [],
          local: [],
          conflicts: [],
        });
        expect(next.resolved).toHaveLength(result.conflicts.length);
        expect(next.stillPending).toEqual([]);
      }),
      fcParams(),
    );
  });

  it('without --force, a fired guard means no operation at all; with it, the same plan as an unguarded run', () => {
    fc.assert(
      fc.property(scenarios({ journal: true }), fc.integer({ min: 0, max: 5 }), (s, min) => {
        const options = { ...s.input.options, deleteGuard: { share: 0.3, min } };
        const stopped = plan({ ...s.input, options: { ...options, force: false } });
        const forced = plan({ ...s.input, options: { ...options, force: true } });
        // The empty-side guard has no threshold; everything else about the run must not depend on it.
        const open = plan({
          ...s.input,
          options: { ...options, force: true, deleteGuard: { share: 1, min: Number.MAX_SAFE_INTEGER } },
        });
        expect({ ...forced, guard: null }).toEqual({ ...open, guard: null });
        if (stopped.guard === null) expect(stopped).toEqual(forced);
        else expect({ remote: stopped.remote, local: stopped.local }).toEqual({ remote: [], local: [] });
        if (stopped.guard?.reason === 'mass-delete') expect(stopped.guard.deletes).toBeGreaterThanOrEqual(min);
      }),
      fcParams(),
    );
  });

  it('a field changed on one side only ends up with that value', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        for (const { id, field, b, l, r } of bothSides(s)) {
          const same = (x: unknown, y: unknown) => fieldEquals(field, x as never, y as never);
          if (!same(l, b) && same(r, b)) expect(targetOf(result, id)![field]).toEqual(l);
          if (!same(r, b) && same(l, b)) expect(targetOf(result, id)![field]).toEqual(r);
        }
      }),
      fcParams(),
    );
  });

  it('an edit beats a delete: a task deleted on one side and edited on the other is kept', () => {
    fc.assert(
      fc.property(scenarios({ journal: true }), (s) => {
        const result = plan(s.input);
        const kept = new Set([...result.target.map((t) => t.id), ...result.restored.map((r) => r.id)]);
        for (const b of s.input.base!) {
          const l = s.input.local.find((t) => t.id === b.id);
          const r = s.remote.find((t) => t.id === b.id);
          const edited = (v: TaskValues | undefined) =>
            v !== undefined && FIELDS.some((f) => !fieldEquals(f, v[f] as never, b[f] as never));
          if ((l === undefined) !== (r === undefined) && edited(l ?? r))
            expect(kept.has(b.id), `${b.id} was dropped`).toBe(true);
        }
      }),
      fcParams(),
    );
  });

  it('a task moved to another parent by the winning side only lands there', () => {
    fc.assert(
      fc.property(scenarios({ journal: true }), (s) => {
        const result = plan(s.input);
        const winner = s.input.options.conflictWinner;
        const refOf = new Map(result.restored.map((r) => [r.id, r.ref]));
        const keyOf = new Map(s.input.local.map((t) => [t.id, t.key]));
        const asTarget = (id: string | null) =>
          id === null
            ? null
            : (refOf.get(id) ??
              (id.startsWith('new:') || s.remote.some((r) => r.id === id) || !keyOf.has(id)
                ? id
                : `new:${keyOf.get(id)}`));
        for (const b of s.input.base!) {
          const l = s.input.local.find((t) => t.id === b.id);
          const r = s.remote.find((t) => t.id === b.id);
          if (!l || !r) continue;
          const [mine, theirs] = winner === 'local' ? [l, r] : [r, l];
          if (mine.parentId !== b.parentId && theirs.parentId === b.parentId) {
            expect(result.target.find((t) => t.id === b.id)!.parentId).toBe(asTarget(mine.parentId));
          }
        }
      }),
      fcParams(),
    );
  });

  it('the same edits, moves and deletes on both sides write nothing on either side', () => {
    fc.assert(
      fc.property(scenarios({ edited: 'same' }), (s) => {
        const result = plan(s.input);
        expect({ remote: result.remote, local: result.local, conflicts: result.conflicts }).toEqual({
          remote: [],
          local: [],
          conflicts: [],
        });
      }),
      fcParams(),
    );
  });

  it('the same change on both sides is no conflict and no write', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        for (const { id, field, l, r } of bothSides(s)) {
          if (!fieldEquals(field, l as never, r as never)) continue;
          expect(writes(result, s, id, field)).toEqual([]);
          expect(result.conflicts.filter((c) => c.taskId === id && c.field === field)).toEqual([]);
        }
      }),
      fcParams(),
    );
  });

  it('a conflict keeps both values: the winner on the task, the loser in a marker in the file', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        const file = applyLocal(s.input.local, result.local);
        for (const c of result.conflicts) {
          const [won, lost] = c.winner === 'local' ? [c.local, c.remote] : [c.remote, c.local];
          expect(targetOf(result, c.taskId)![c.field]).toEqual(won);
          const item = file.find((t) => t.id === c.taskId)!;
          expect(item[c.field]).toEqual(won);
          expect(item.conflicts).toContainEqual({ field: c.field, value: lost });
        }
      }),
      fcParams(),
    );
  });

  it('no task is invented or duplicated', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        const ids = result.target.map((t) => t.id);
        expect(new Set(ids).size).toBe(ids.length);
        const sources = new Map<string, TaskValues[]>();
        const add = (id: string, v: TaskValues) => sources.set(id, [...(sources.get(id) ?? []), v]);
        for (const t of s.input.base ?? []) add(t.id, t);
        for (const t of s.remote) add(t.id, t);
        const restored = new Map(result.restored.map((r) => [r.ref, r.id]));
        const linkedTo = new Map(result.local.flatMap((c) => (c.type === 'set-id' ? [[c.key, c.id] as const] : [])));
        for (const t of s.input.local) {
          add(t.id, t);
          add(`new:${t.key}`, t);
          if (linkedTo.has(t.key)) add(linkedTo.get(t.key)!, t);
        }
        for (const t of result.target) {
          const from = sources.get(t.id) ?? sources.get(restored.get(t.id) ?? '');
          expect(from, `target task ${t.id} comes from nowhere`).toBeDefined();
          // Each value was held by some version of that task.
          for (const f of FIELDS) expect(from!.some((v) => fieldEquals(f, v[f] as never, t[f] as never))).toBe(true);
        }
        // A task new on either side is never dropped.
        const baseIds = new Set((s.input.base ?? []).map((t) => t.id));
        const linked = new Set(result.local.flatMap((c) => (c.type === 'set-id' ? [c.id] : [])));
        for (const t of s.remote) if (!baseIds.has(t.id)) expect(ids).toContain(t.id);
        for (const t of s.input.local) {
          if (baseIds.has(t.id) || s.remote.some((r) => r.id === t.id)) continue;
          const kept =
            ids.includes(`new:${t.key}`) ||
            result.local.some((c) => c.type === 'set-id' && c.key === t.key && linked.has(c.id));
          expect(kept, `new local item ${t.key} was dropped`).toBe(true);
        }
      }),
      fcParams(),
    );
  });

  it('with no journal, nothing is deleted on either side', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan({ ...s.input, base: null });
        expect(result.remote.filter((op) => op.op === 'delete')).toEqual([]);
        expect(result.local.filter((c) => c.type === 'remove')).toEqual([]);
        // Every item of either side is in the target; a local item linked to a remote task (by the
        // id in its text, or by content) is one task with it.
        const remoteIds = new Set(s.remote.map((t) => t.id));
        const linkedById = new Set(s.input.local.filter((t) => remoteIds.has(t.id)).map((t) => t.id)).size;
        const linkedByContent = result.local.filter((c) => c.type === 'set-id').length;
        expect(result.target).toHaveLength(s.input.local.length + s.remote.length - linkedById - linkedByContent);
      }),
      fcParams(),
    );
  });

  it('every move keeps both trees acyclic and every address valid', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s.input);
        let n = 0;
        // The strict appliers throw on a cycle, a missing task or an anchor under another parent.
        expect(() => applyRemote(s.remote, result.remote, () => `c${++n}`)).not.toThrow();
        expect(() => applyLocal(s.input.local, result.local)).not.toThrow();
      }),
      fcParams(),
    );
  });

  it('as scheduled, no create or move comes after a delete (a lost delete answer misplaces nothing)', () => {
    // apply-remote places creates and moves by its mirror of Taskade's lists; a delete whose
    // answer was lost leaves its task there. With nothing placed after a delete, that cannot
    // matter (see apply-remote's `unsettle`, which a delete therefore does not need).
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ops = scheduleOps(plan(s.input).remote);
        const first = ops.findIndex((op) => op.op === 'delete');
        if (first < 0) return;
        const after = ops.slice(first).filter((op) => op.op === 'create' || op.op === 'move');
        expect(after).toEqual([]);
      }),
      fcParams(),
    );
  });

  it('is deterministic and leaves its input alone', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const copy: PlanInput = structuredClone(s.input);
        const first = plan(deepFreeze(s.input));
        expect(s.input).toEqual(copy);
        expect(plan(copy)).toEqual(first);
      }),
      fcParams(),
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
