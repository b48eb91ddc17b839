/**
 * Outline (pre-order) order of a flat base snapshot: a parent before its children, siblings by
 * position (ties by id, so the order is total and stable).
 *
 * The base is written row by row while a sync applies, so it may briefly hold a row whose parent
 * is not (yet) in the base. Such rows are not dropped: they and their subtrees follow the proper
 * tree, ordered by (parent id, position, id). Rows caught in a parent cycle (only a caller bug can
 * make one) come last, by id. Every row is returned exactly once.
 */
export interface OrderedRow {
  id: string;
  parentId: string | null;
  position: number;
}

function bySiblingOrder(a: OrderedRow, b: OrderedRow): number {
  return a.position - b.position || compareStrings(a.id, b.id);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function outlineOrder<R extends OrderedRow>(rows: readonly R[]): R[] {
  const children = new Map<string | null, R[]>();
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(row.id);
    const list = children.get(row.parentId);
    if (list) list.push(row);
    else children.set(row.parentId, [row]);
  }
  for (const list of children.values()) list.sort(bySiblingOrder);

  const out: R[] = [];
  const visited = new Set<string>();
  // Iterative pre-order walk: deep outlines must not overflow the call stack.
  const walk = (start: R): void => {
    const stack: R[] = [start];
    while (stack.length > 0) {
      const row = stack.pop() as R;
      if (visited.has(row.id)) continue;
      visited.add(row.id);
      out.push(row);
      const kids = children.get(row.id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as R);
    }
  };

  for (const root of children.get(null) ?? []) walk(root);

  const orphans = rows
    .filter((r) => r.parentId !== null && !ids.has(r.parentId))
    .sort((a, b) => compareStrings(a.parentId as string, b.parentId as string) || bySiblingOrder(a, b));
  for (const orphan of orphans) walk(orphan);

  if (out.length < rows.length) {
    const inCycles = rows.filter((r) => !visited.has(r.id)).sort((a, b) => compareStrings(a.id, b.id));
    for (const row of inCycles) walk(row);
  }
  return out;
}
