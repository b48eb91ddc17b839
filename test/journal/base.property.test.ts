import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/index.js';
import type { TaskRecord, TaskValues } from '../../src/model/task.js';
import { fcParams } from '../support/fc.js';

/**
 * The model: a map of task id → (record, position); the base in outline order is a pre-order walk
 * from the top level, siblings by (position, id). Operations keep it a tree, as the engine does.
 */
type Model = Map<string, { record: TaskRecord; position: number }>;

const IDS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];

function modelBase(model: Model): TaskRecord[] {
  const out: TaskRecord[] = [];
  const visit = (parentId: string | null): void => {
    const kids = [...model.values()]
      .filter((e) => e.record.parentId === parentId)
      .sort((a, b) => a.position - b.position || (a.record.id < b.record.id ? -1 : 1));
    for (const kid of kids) {
      out.push(kid.record);
      visit(kid.record.id);
    }
  };
  visit(null);
  return out;
}

function subtree(model: Model, id: string): Set<string> {
  const ids = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { record } of model.values()) {
      if (record.parentId !== null && ids.has(record.parentId) && !ids.has(record.id)) {
        ids.add(record.id);
        grew = true;
      }
    }
  }
  return ids;
}

/** Values already in normal form, so the model can compare them as they are. */
const values: fc.Arbitrary<TaskValues & { kind: TaskRecord['kind'] }> = fc.record({
  kind: fc.constantFrom('task' as const, 'section' as const),
  text: fc.constantFrom('a', 'b', 'Ship the *importer* #x', ''),
  completed: fc.boolean(),
  note: fc.constantFrom(null, 'n', 'line one\nline two'),
  due: fc.constantFrom(
    null,
    { date: '2026-01-01', time: null, timezone: null },
    { date: '2026-12-01', time: '09:30', timezone: 'Europe/Paris' },
  ),
  assignees: fc.subarray(['alice', 'bob', 'carol']),
});

const op = fc.oneof(
  fc.record({
    type: fc.constant('put' as const),
    id: fc.constantFrom(...IDS),
    parentPick: fc.nat(),
    position: fc.integer({ min: 0, max: 3 }),
    values,
  }),
  fc.record({ type: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }),
  fc.record({
    type: fc.constant('replace' as const),
    items: fc.array(fc.record({ parentPick: fc.nat(), values }), { maxLength: IDS.length }),
  }),
);

describe('base snapshot (property)', () => {
  it('getBase equals a simple in-memory model after any sequence of putTask, deleteTask and replaceBase', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const journal = Journal.openInMemory();
        try {
          journal.upsertLink({ path: 'a.md', projectId: 'P', fileHash: null, at: 0 });
          const model: Model = new Map();
          for (const o of ops) {
            if (o.type === 'put') {
              // Any parent that keeps a tree: the top level or a task outside the task's own subtree.
              const mine = subtree(model, o.id);
              const parents = [null, ...[...model.keys()].filter((id) => !mine.has(id)).sort()];
              const parentId = parents[o.parentPick % parents.length] ?? null;
              const record: TaskRecord = { id: o.id, parentId, ...o.values };
              journal.putTask('P', record, o.position, 1);
              model.set(o.id, { record, position: o.position });
            } else if (o.type === 'delete') {
              journal.deleteTask('P', o.id);
              if (model.has(o.id)) for (const id of subtree(model, o.id)) model.delete(id);
            } else {
              const records = o.items.map((item, i): TaskRecord => {
                const parents = [null, ...IDS.slice(0, i)];
                return { id: IDS[i]!, parentId: parents[item.parentPick % parents.length] ?? null, ...item.values };
              });
              journal.replaceBase('P', records, 1);
              model.clear();
              const seen = new Map<string | null, number>();
              for (const record of records) {
                const position = seen.get(record.parentId) ?? 0;
                seen.set(record.parentId, position + 1);
                model.set(record.id, { record, position });
              }
            }
          }
          const base = modelBase(model);
          expect(journal.getBase('P')).toEqual(base);
        } finally {
          journal.close();
        }
      }),
      fcParams(),
    );
  });
});
