import fc from 'fast-check';
import {
  FIELDS,
  type Due,
  type Field,
  type RemoteTaskRecord,
  type TaskRecord,
  type TaskValues,
} from '../../../src/model/task.js';
import { DEFAULT_PLAN_OPTIONS, type LocalTask, type PlanInput } from '../../../src/reconcile/index.js';
import type { FullRemote } from './apply.js';

/**
 * Random planner scenarios: a base tree (0–30 tasks, depth ≤ 4) and two copies of it perturbed
 * independently (edit a field, add, delete a subtree, move or reorder). Values come from small
 * pools so both sides often make the same change, and texts repeat (content matching).
 */

interface Node {
  id: string;
  key: string;
  kind: 'task' | 'section';
  values: TaskValues;
  children: Node[];
}

const TEXTS = ['alpha', 'beta', 'gamma', 'delta'];
const NOTES = [null, 'n1', 'n2\nline'];
const DUES: Array<Due | null> = [
  null,
  { date: '2026-01-01', time: null, timezone: null },
  { date: '2026-02-02', time: '09:30', timezone: 'Europe/Paris' },
];
const PEOPLE = ['ann', 'bob', 'cy'];

const valuesArb: fc.Arbitrary<TaskValues> = fc.record({
  text: fc.constantFrom(...TEXTS),
  completed: fc.boolean(),
  note: fc.constantFrom(...NOTES),
  due: fc.constantFrom(...DUES),
  assignees: fc.subarray(PEOPLE),
});

const editArb = fc.record({
  op: fc.constantFrom('edit', 'edit', 'add', 'delete', 'move', 'move'),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  field: fc.constantFrom<Field>(...FIELDS),
  values: valuesArb,
});
type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

const baseArb = fc.array(fc.record({ parent: fc.nat(), section: fc.boolean(), values: valuesArb }), {
  maxLength: 30,
  size: 'large',
});

export interface Scenario {
  input: PlanInput;
  /** The remote side with every value known (what the applier works on). */
  remote: FullRemote[];
}

/**
 * `edited`: which sides get perturbed (`same`: both get the same edits, adds left out so both
 * trees come out equal); `journal`: force a base (or its absence) instead of 3 in 4.
 */
export function scenarios(
  opts: { edited?: 'both' | 'local' | 'remote' | 'same'; journal?: boolean } = {},
): fc.Arbitrary<Scenario> {
  const edited = opts.edited ?? 'both';
  const edits = (side: 'local' | 'remote'): fc.Arbitrary<Edit[]> =>
    edited === 'both' || edited === side ? fc.array(editArb, { maxLength: 8 }) : fc.constant<Edit[]>([]);
  return fc
    .record({
      base: baseArb,
      local: edits('local'),
      remote: edits('remote'),
      noJournal: opts.journal === undefined ? fc.nat(3).map((n) => n === 0) : fc.constant(!opts.journal),
      unread: fc.boolean(),
      winner: fc.constantFrom<'local' | 'remote'>('local', 'remote'),
    })
    .map((g) => {
      if (edited === 'same') g.remote = g.local = g.local.filter((e) => e.op !== 'add');
      const base = buildBase(g.base);
      const local = perturb(base, g.local, 'local');
      const remote = perturb(base, g.remote, 'remote');
      const baseRecords = flatten(base);
      const remoteFull: FullRemote[] = flatten(remote).map(({ kind: _kind, ...t }) => t);
      const baseById = new Map(baseRecords.map((t) => [t.id, t]));
      const remoteSeen: RemoteTaskRecord[] = remoteFull.map((t) => {
        const b = baseById.get(t.id);
        const same =
          b !== undefined &&
          JSON.stringify([b.note, b.due, b.assignees]) === JSON.stringify([t.note, t.due, t.assignees]);
        // The poller's contract: a sub-resource it skips is one it has no reason to think changed.
        return g.unread && !g.noJournal && same ? { ...t, note: undefined, due: undefined, assignees: undefined } : t;
      });
      const keys = new Map<string, string>();
      const walk = (nodes: Node[]): void => nodes.forEach((n) => (keys.set(n.id, n.key), walk(n.children)));
      walk(local);
      const localTasks: LocalTask[] = flatten(local).map((t) => ({ ...t, key: keys.get(t.id)!, conflicts: [] }));
      return {
        input: {
          base: g.noJournal ? null : baseRecords,
          local: localTasks,
          remote: remoteSeen,
          pending: [],
          options: { ...DEFAULT_PLAN_OPTIONS, conflictWinner: g.winner, force: true },
        },
        remote: remoteFull,
      };
    });
}

export const scenarioArb: fc.Arbitrary<Scenario> = scenarios();

function buildBase(specs: Array<{ parent: number; section: boolean; values: TaskValues }>): Node[] {
  const roots: Node[] = [];
  const all: Array<{ node: Node; depth: number }> = [];
  specs.forEach((s, i) => {
    const eligible = all.filter((x) => x.depth < 3);
    const pick = s.parent % (eligible.length + 1);
    const id = `t${i}`;
    const parent = pick === 0 ? null : eligible[pick - 1]!;
    const node: Node = {
      id,
      key: `k-${id}`,
      kind: parent === null && s.section ? 'section' : 'task',
      values: s.values,
      children: [],
    };
    (parent ? parent.node.children : roots).push(node);
    all.push({ node, depth: parent ? parent.depth + 1 : 0 });
  });
  return roots;
}

function clone(nodes: Node[]): Node[] {
  return nodes.map((n) => ({
    ...n,
    values: { ...n.values, due: n.values.due && { ...n.values.due }, assignees: [...n.values.assignees] },
    children: clone(n.children),
  }));
}

function perturb(base: Node[], edits: Edit[], side: 'local' | 'remote'): Node[] {
  const roots = clone(base);
  let fresh = 0;
  const listAll = () => {
    const out: Array<{ node: Node; siblings: Node[]; depth: number }> = [];
    const walk = (siblings: Node[], depth: number): void => {
      for (const node of siblings) {
        out.push({ node, siblings, depth });
        walk(node.children, depth + 1);
      }
    };
    walk(roots, 0);
    return out;
  };
  const height = (n: Node): number => 1 + Math.max(0, ...n.children.map(height));
  for (const e of edits) {
    const all = listAll();
    const target = all.length > 0 ? all[e.a % all.length]! : undefined;
    switch (e.op) {
      case 'edit':
        if (target) {
          const v = target.node.values as unknown as Record<Field, unknown>;
          v[e.field] = e.values[e.field];
        }
        break;
      case 'add': {
        fresh++;
        const key = `${side[0]}${fresh}`;
        const node: Node = {
          id: side === 'local' ? `new:${key}` : `${side}-${fresh}`,
          key,
          kind: 'task',
          values: e.values,
          children: [],
        };
        const parents = [null, ...all.filter((x) => x.depth < 3).map((x) => x.node)];
        const parent = parents[e.b % parents.length]!;
        const list = parent ? parent.children : roots;
        list.splice(e.c % (list.length + 1), 0, node);
        break;
      }
      case 'delete':
        if (target) target.siblings.splice(target.siblings.indexOf(target.node), 1);
        break;
      case 'move': {
        if (!target) break;
        const inside = new Set<Node>();
        const mark = (n: Node): void => (inside.add(n), n.children.forEach(mark));
        mark(target.node);
        const h = height(target.node);
        const parents = [null, ...all.filter((x) => !inside.has(x.node) && x.depth + h < 4).map((x) => x.node)];
        const parent = parents[e.b % parents.length]!;
        target.siblings.splice(target.siblings.indexOf(target.node), 1);
        const list = parent ? parent.children : roots;
        list.splice(e.c % (list.length + 1), 0, target.node);
        break;
      }
    }
  }
  return roots;
}

function flatten(nodes: Node[], parentId: string | null = null, out: TaskRecord[] = []): TaskRecord[] {
  for (const n of nodes) {
    out.push({
      id: n.id,
      parentId,
      kind: n.kind,
      ...n.values,
      due: n.values.due && { ...n.values.due },
      assignees: [...n.values.assignees],
    });
    flatten(n.children, n.id, out);
  }
  return out;
}
