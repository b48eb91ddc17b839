/**
 * The engine's picture of the remote tree while it applies a plan: sibling order per parent,
 * updated after every successful request. Taskade addresses positions DOM-style (relative to an
 * anchor task), so turning the planner's (parent, after) into a request needs to know the
 * current siblings — e.g. "first at the top level" is `beforebegin` of the current first task.
 */
export class RemoteMirror {
  private readonly children = new Map<string | null, string[]>();
  private readonly parents = new Map<string, string | null>();

  constructor(tasks: Iterable<{ id: string; parentId: string | null }>) {
    for (const t of tasks) {
      this.parents.set(t.id, t.parentId);
      this.list(t.parentId).push(t.id);
    }
  }

  siblings(parent: string | null): readonly string[] {
    return this.children.get(parent) ?? [];
  }

  /** The task's parent (null: top level), or undefined for a task the mirror does not hold. */
  parentOf(id: string): string | null | undefined {
    return this.parents.get(id);
  }

  /** Insert `id` under `parent` right after `after` (null = first child). */
  insert(id: string, parent: string | null, after: string | null): void {
    const list = this.list(parent);
    const at = after === null ? 0 : list.indexOf(after) + 1;
    list.splice(at < 0 ? list.length : at, 0, id);
    this.parents.set(id, parent);
  }

  move(id: string, parent: string | null, after: string | null): void {
    this.detach(id);
    this.insert(id, parent, after);
  }

  /** Remove a task and its subtree. */
  remove(id: string): void {
    this.detach(id);
    const stack = [id];
    while (stack.length > 0) {
      const current = stack.pop()!;
      this.parents.delete(current);
      const kids = this.children.get(current) ?? [];
      this.children.delete(current);
      stack.push(...kids);
    }
  }

  private detach(id: string): void {
    const parent = this.parents.get(id);
    if (parent === undefined) return;
    const list = this.list(parent);
    const at = list.indexOf(id);
    if (at >= 0) list.splice(at, 1);
  }

  private list(parent: string | null): string[] {
    let list = this.children.get(parent);
    if (list === undefined) {
      list = [];
      this.children.set(parent, list);
    }
    return list;
  }
}
