import type { LocalChange, NewItem } from '../../../src/model/local-change.js';
import { shortId, type OutlineNode } from '../../../src/markdown/index.js';
import type { Plain } from './plain.js';

/**
 * A deliberately simple model of what a change list means for the outline: a tree of plain
 * nodes edited by key. The renderer must produce a file that parses back to this.
 */
export interface RefNode extends Omit<Plain, 'children'> {
  key: string;
  children: RefNode[];
}

export function refFromOutline(nodes: readonly OutlineNode[]): RefNode[] {
  return nodes.map((n) => ({
    key: n.key,
    kind: n.kind,
    id: n.id,
    text: n.text,
    completed: n.completed,
    note: n.note,
    due: n.due,
    assignees: [...n.assignees],
    conflicts: [...n.conflicts],
    children: refFromOutline(n.children),
  }));
}

export function refToPlain(nodes: RefNode[]): Plain[] {
  return nodes.map(({ key: _key, children, ...rest }) => ({ ...rest, children: refToPlain(children) }));
}

export function findRef(
  nodes: RefNode[],
  key: string,
): { node: RefNode; siblings: RefNode[]; parent: RefNode | null } | null {
  const visit = (list: RefNode[], parent: RefNode | null): ReturnType<typeof findRef> => {
    for (const node of list) {
      if (node.key === key) return { node, siblings: list, parent };
      const inner = visit(node.children, node);
      if (inner) return inner;
    }
    return null;
  };
  return visit(nodes, null);
}

export function newItemToRef(item: NewItem, projectIds: string[]): RefNode {
  return {
    key: item.key,
    kind: item.kind,
    id: item.id === null || item.kind === 'section' ? null : shortId(item.id, projectIds),
    ...item.values,
    assignees: [...item.values.assignees],
    conflicts: [],
    children: item.children.map((c) => newItemToRef(c, projectIds)),
  };
}

export function applyRef(roots: RefNode[], changes: readonly LocalChange[], projectIds: string[]): RefNode[] {
  const tree = roots;
  const childrenOf = (parent: string | null): RefNode[] =>
    parent === null ? tree : (findRef(tree, parent)?.node.children ?? []);
  const place = (list: RefNode[], after: string | null, node: RefNode): void => {
    const at = after === null ? 0 : list.findIndex((n) => n.key === after) + 1;
    list.splice(at, 0, node);
  };
  for (const c of changes) {
    switch (c.type) {
      case 'update': {
        const n = findRef(tree, c.key)?.node;
        if (!n) break;
        const v = { ...c.values };
        if (n.kind === 'section') {
          delete v.completed;
          delete v.note;
        }
        Object.assign(n, v);
        break;
      }
      case 'set-id': {
        const n = findRef(tree, c.key)?.node;
        // A heading carries no id: set-id removes one an older version wrote.
        if (n) n.id = n.kind === 'section' ? null : shortId(c.id, projectIds);
        break;
      }
      case 'set-conflicts': {
        const n = findRef(tree, c.key)?.node;
        if (n) n.conflicts = [...c.conflicts];
        break;
      }
      case 'remove': {
        const f = findRef(tree, c.key);
        if (f) f.siblings.splice(f.siblings.indexOf(f.node), 1);
        break;
      }
      case 'insert':
        place(childrenOf(c.parent), c.after, newItemToRef(c.item, projectIds));
        break;
      case 'move': {
        const f = findRef(tree, c.key);
        if (!f) break;
        f.siblings.splice(f.siblings.indexOf(f.node), 1);
        place(childrenOf(c.parent), c.after, f.node);
        break;
      }
    }
  }
  return tree;
}
