import type { LocalChange, NewItem } from '../../../src/model/local-change.js';
import { pickValues, type TaskRecord, type TaskValues } from '../../../src/model/task.js';
import type { LocalTask, RemoteOp } from '../../../src/reconcile/index.js';

/**
 * Strict reference appliers for plans, in the spirit of vdirsyncer's strict in-memory storage:
 * every address must exist, an anchor must be a child of the named parent, a move may not put a
 * task under its own subtree, `set-assignees` must name the current list as `previous`.
 */
interface Node<T> {
  item: T;
  parent: Node<T> | null;
  children: Node<T>[];
}

class Forest<T extends { parentId: string | null }> {
  readonly roots: Node<T>[] = [];
  readonly byName = new Map<string, Node<T>>();

  constructor(items: readonly T[], nameOf: (t: T) => string, parentNameOf: (t: T) => string | null) {
    for (const item of items) {
      const parentName = parentNameOf(item);
      const parent = parentName === null ? null : this.get(parentName);
      const node: Node<T> = { item: { ...item }, parent, children: [] };
      (parent ? parent.children : this.roots).push(node);
      this.byName.set(nameOf(item), node);
    }
  }

  get(name: string): Node<T> {
    const node = this.byName.get(name);
    if (!node) throw new Error(`no task named ${name}`);
    return node;
  }

  siblings(parent: Node<T> | null): Node<T>[] {
    return parent ? parent.children : this.roots;
  }

  place(node: Node<T>, parentName: string | null, afterName: string | null): void {
    const parent = parentName === null ? null : this.get(parentName);
    for (let p = parent; p; p = p.parent) if (p === node) throw new Error('move would form a cycle');
    const list = this.siblings(parent);
    let at = 0;
    if (afterName !== null) {
      const after = this.get(afterName);
      if (after === node) throw new Error('a task cannot be placed after itself');
      at = list.indexOf(after) + 1;
      if (at === 0) throw new Error(`anchor ${afterName} is not a child of ${parentName ?? 'the top level'}`);
    }
    node.parent = parent;
    list.splice(at, 0, node);
  }

  detach(node: Node<T>): void {
    const list = this.siblings(node.parent);
    list.splice(list.indexOf(node), 1);
  }

  remove(node: Node<T>, nameOf: (t: T) => string): void {
    this.detach(node);
    const drop = (n: Node<T>): void => {
      this.byName.delete(nameOf(n.item));
      n.children.forEach(drop);
    };
    drop(node);
  }

  flatten(withParent: (item: T, parent: T | null) => T): T[] {
    const out: T[] = [];
    const walk = (nodes: Node<T>[]): void => {
      for (const n of nodes) {
        out.push(withParent(n.item, n.parent?.item ?? null));
        walk(n.children);
      }
    };
    walk(this.roots);
    return out;
  }
}

/** A remote task with every sub-resource known (the applier's model of Taskade). */
export type FullRemote = Omit<TaskRecord, 'kind'>;

export function applyRemote(
  tasks: readonly FullRemote[],
  ops: readonly RemoteOp[],
  newId: () => string,
): { tasks: FullRemote[]; refs: Map<string, string> } {
  const forest = new Forest(
    tasks,
    (t) => t.id,
    (t) => t.parentId,
  );
  const refs = new Map<string, string>();
  const real = (name: string | null) => (name === null ? null : (refs.get(name) ?? name));
  for (const op of ops) {
    switch (op.op) {
      case 'create': {
        if (refs.has(op.ref)) throw new Error(`ref ${op.ref} created twice`);
        const id = newId();
        refs.set(op.ref, id);
        const node: Node<FullRemote> = {
          item: { id, parentId: null, text: op.text, completed: false, note: null, due: null, assignees: [] },
          parent: null,
          children: [],
        };
        forest.byName.set(id, node);
        forest.place(node, real(op.parent), real(op.after));
        break;
      }
      case 'move': {
        const node = forest.get(real(op.id)!);
        forest.detach(node);
        forest.place(node, real(op.parent), real(op.after));
        break;
      }
      case 'delete':
        forest.remove(forest.get(real(op.id)!), (t) => t.id);
        break;
      case 'update-text':
        forest.get(real(op.id)!).item.text = op.text;
        break;
      case 'set-completed': {
        const item = forest.get(real(op.id)!).item;
        if (item.completed === op.completed) throw new Error(`set-completed on ${op.id} changes nothing`);
        item.completed = op.completed;
        break;
      }
      case 'set-note':
        forest.get(real(op.id)!).item.note = op.note;
        break;
      case 'set-due':
        forest.get(real(op.id)!).item.due = op.due;
        break;
      case 'set-assignees': {
        const item = forest.get(real(op.id)!).item;
        if (item.assignees.join() !== op.previous.join()) throw new Error(`set-assignees on ${op.id}: stale previous`);
        item.assignees = [...op.assignees];
        break;
      }
    }
  }
  return { tasks: forest.flatten((t, p) => ({ ...t, parentId: p?.id ?? null })), refs };
}

export function applyLocal(tasks: readonly LocalTask[], changes: readonly LocalChange[]): LocalTask[] {
  const keyOfId = new Map(tasks.map((t) => [t.id, t.key]));
  const forest = new Forest(
    tasks,
    (t) => t.key,
    (t) => (t.parentId === null ? null : keyOfId.get(t.parentId)!),
  );
  const addItem = (item: NewItem, parent: string | null, after: string | null): void => {
    if (forest.byName.has(item.key)) throw new Error(`key ${item.key} inserted twice`);
    const node: Node<LocalTask> = {
      item: {
        id: item.id ?? `new:${item.key}`,
        parentId: null,
        key: item.key,
        kind: item.kind,
        conflicts: [],
        ...pickValues(item.values),
      },
      parent: null,
      children: [],
    };
    forest.byName.set(item.key, node);
    forest.place(node, parent, after);
    let previous: string | null = null;
    for (const child of item.children) {
      addItem(child, item.key, previous);
      previous = child.key;
    }
  };
  for (const change of changes) {
    switch (change.type) {
      case 'insert':
        addItem(change.item, change.parent, change.after);
        break;
      case 'move': {
        const node = forest.get(change.key);
        forest.detach(node);
        forest.place(node, change.parent, change.after);
        break;
      }
      case 'remove':
        forest.remove(forest.get(change.key), (t) => t.key);
        break;
      case 'update': {
        const item = forest.get(change.key).item;
        Object.assign(item, pickValues({ ...item, ...change.values } as TaskValues));
        break;
      }
      case 'set-id':
        forest.get(change.key).item.id = change.id;
        break;
      case 'set-conflicts':
        forest.get(change.key).item.conflicts = [...change.conflicts];
        break;
    }
  }
  return forest.flatten((t, p) => ({ ...t, parentId: p?.id ?? null }));
}
