import fc from 'fast-check';
import type { LocalChange, NewItem } from '../../../src/model/local-change.js';
import type { TaskValues } from '../../../src/model/task.js';
import { conflicts, fullId, sectionItem, sectionValues, taskItem, taskValues } from './arbitraries.js';
import { applyRef, type RefNode } from './reference.js';

/** Raw material for one change; `planChanges` turns it into a valid change against the current tree. */
export interface ChangeSeed {
  op: number;
  pick: number;
  where: number;
  after: number;
  fields: number;
  values: TaskValues;
  sectionValues: TaskValues;
  conflicts: LocalChange & { type: 'set-conflicts' } extends { conflicts: infer C } ? C : never;
  id: string;
  task: NewItem;
  section: NewItem;
}

export const changeSeed: fc.Arbitrary<ChangeSeed> = fc.record({
  op: fc.nat(5),
  pick: fc.nat(),
  where: fc.nat(),
  after: fc.nat(),
  fields: fc.integer({ min: 1, max: 31 }),
  values: taskValues,
  sectionValues,
  conflicts,
  id: fullId,
  task: taskItem(2),
  section: sectionItem(2),
});

const FIELD_BITS = ['text', 'completed', 'note', 'due', 'assignees'] as const;

function preorder(
  nodes: RefNode[],
  depth = 0,
  out: Array<{ node: RefNode; depth: number }> = [],
): Array<{ node: RefNode; depth: number }> {
  for (const n of nodes) {
    out.push({ node: n, depth });
    preorder(n.children, depth + 1, out);
  }
  return out;
}

function height(item: { kind: string; children: Array<{ kind: string; children: unknown[] }> }): number {
  if (item.kind !== 'section') return 0;
  return 1 + Math.max(0, ...item.children.map((c) => height(c as never)));
}

function inSubtree(root: RefNode, key: string | null): boolean {
  if (key === null) return false;
  return root.key === key || root.children.some((c) => inSubtree(c, key));
}

/** Heading level a section gets as a child of `container` (root sections are H2). */
function levelUnder(tree: RefNode[], container: RefNode | null): number {
  if (container === null) return 2;
  const depth = preorder(tree).find((e) => e.node === container)?.depth ?? 0;
  return depth + 3;
}

/**
 * Valid changes for `tree` (which is edited in place to the expected outline). Positions follow the
 * one rule markdown imposes: under a heading, list items come before sub-headings.
 */
export function planChanges(tree: RefNode[], seeds: ChangeSeed[], projectIds: string[]): LocalChange[] {
  const changes: LocalChange[] = [];
  const used = new Set(projectIds);
  const push = (c: LocalChange): void => {
    changes.push(c);
    applyRef(tree, [c], projectIds);
  };
  for (const s of seeds) {
    const all = preorder(tree);
    const target = all.length > 0 ? all[s.pick % all.length]?.node : undefined;
    const op = s.op;
    if (op === 0 && target) {
      const values: Partial<TaskValues> = {};
      FIELD_BITS.forEach((f, i) => {
        if ((s.fields >> i) & 1)
          (values as Record<string, unknown>)[f] = (target.kind === 'section' ? s.sectionValues : s.values)[f];
      });
      push({ type: 'update', key: target.key, values });
    } else if (op === 1 && target && !used.has(s.id)) {
      used.add(s.id);
      projectIds.push(s.id);
      push({ type: 'set-id', key: target.key, id: s.id });
    } else if (op === 2 && target) {
      push({ type: 'set-conflicts', key: target.key, conflicts: s.conflicts });
    } else if (op === 3 && target) {
      push({ type: 'remove', key: target.key });
    } else if (op === 4 || op === 5) {
      const moving = op === 5 ? (target ?? null) : null;
      const kind = moving ? moving.kind : s.pick % 3 === 0 ? 'section' : 'task';
      const item = kind === 'section' ? s.section : s.task;
      if (!moving && !claimIds(item, used, projectIds)) continue;
      const containers = [null, ...all.map((e) => e.node)].filter(
        (c) =>
          (kind === 'task' || c === null || c.kind === 'section') &&
          !(moving && c !== null && inSubtree(moving, c.key)),
      );
      const container = containers[s.where % containers.length] ?? null;
      if (kind === 'section' && levelUnder(tree, container) + height(moving ?? item) - 1 > 6) continue;
      const siblings = (container === null ? tree : container.children).filter((n) => n !== moving);
      let after: string | null;
      if (container !== null && container.kind === 'task') {
        const options = [null, ...siblings.map((n) => n.key)];
        after = options[s.after % options.length] ?? null;
      } else if (kind === 'task') {
        const options = [null, ...siblings.filter((n) => n.kind === 'task').map((n) => n.key)];
        after = options[s.after % options.length] ?? null;
      } else {
        const sections = siblings.filter((n) => n.kind === 'section');
        if (sections.length > 0) after = sections[s.after % sections.length]?.key ?? null;
        else after = siblings.at(-1)?.key ?? null;
      }
      const parent = container === null ? null : container.key;
      if (moving) push({ type: 'move', key: moving.key, parent, after });
      else push({ type: 'insert', item: { ...item, key: `${item.key}@${changes.length}` }, parent, after });
    }
  }
  return changes;
}

/** Gives the item's ids to the project; `false` when one is already taken. */
function claimIds(item: NewItem, used: Set<string>, projectIds: string[]): boolean {
  const ids: string[] = [];
  const visit = (i: NewItem): void => {
    if (i.id !== null) ids.push(i.id);
    i.children.forEach(visit);
  };
  visit(item);
  if (ids.some((id) => used.has(id)) || new Set(ids).size !== ids.length) return false;
  for (const id of ids) {
    used.add(id);
    projectIds.push(id);
  }
  return true;
}
