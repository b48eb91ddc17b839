import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleOps } from '../../src/reconcile/index.js';
import type { RemoteOp } from '../../src/reconcile/index.js';
import { fcParams } from '../support/fc.js';

const create = (ref: string, parent: string | null, after: string | null): RemoteOp => ({
  op: 'create',
  ref,
  parent,
  after,
  kind: 'task',
  text: ref,
});

describe('scheduleOps', () => {
  it('groups new siblings of one parent, level by level, and defers sub-resource ops of new tasks', () => {
    const ops: RemoteOp[] = [
      create('new:a', null, 'X'),
      { op: 'set-completed', id: 'new:a', completed: true },
      create('new:a1', 'new:a', null),
      create('new:a2', 'new:a', 'new:a1'),
      create('new:b', null, 'new:a'),
      create('new:b1', 'new:b', null),
      create('new:c', null, 'new:b'),
    ];
    expect(scheduleOps(ops).map((o) => ('ref' in o ? o.ref : `${o.op}:${o.id}`))).toEqual([
      'new:a',
      'new:b',
      'new:c',
      'new:a1',
      'new:a2',
      'new:b1',
      'set-completed:new:a',
    ]);
  });

  it('never moves a create across another kind of op (moves and updates keep their place)', () => {
    const ops: RemoteOp[] = [
      create('new:a', null, null),
      { op: 'move', id: 'T', parent: 'new:a', after: null },
      create('new:b', 'T', null),
    ];
    expect(scheduleOps(ops)).toEqual(ops);
  });

  it('keeps every create after its parent and after the sibling it is placed after (property)', () => {
    // A random tree of new tasks, listed in pre-order with `after` = previous sibling.
    const tree = fc.array(fc.nat(), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(tree, (parents) => {
        const ops: RemoteOp[] = [];
        const lastChild = new Map<string | null, string>();
        const children = new Map<string | null, string[]>();
        parents.forEach((p, i) => {
          const parent = i === 0 ? null : p % (i + 1) === i ? null : `new:${p % i}`;
          const list = children.get(parent) ?? [];
          list.push(`new:${i}`);
          children.set(parent, list);
        });
        const visit = (parent: string | null): void => {
          for (const ref of children.get(parent) ?? []) {
            ops.push(create(ref, parent, lastChild.get(parent) ?? null));
            lastChild.set(parent, ref);
            visit(ref);
          }
        };
        visit(null);
        const out = scheduleOps(ops);
        const at = new Map(out.map((o, i) => [(o as { ref: string }).ref, i] as const));
        expect(out).toHaveLength(ops.length);
        for (const o of out) {
          if (o.op !== 'create') continue;
          if (o.parent !== null) expect(at.get(o.parent)!).toBeLessThan(at.get(o.ref)!);
          if (o.after !== null) expect(at.get(o.after)!).toBeLessThan(at.get(o.ref)!);
        }
      }),
      fcParams(),
    );
  });
});
