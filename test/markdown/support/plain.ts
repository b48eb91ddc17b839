import type { ConflictMarker } from '../../../src/model/local-change.js';
import type { Due, TaskKind } from '../../../src/model/task.js';
import type { Outline, OutlineNode } from '../../../src/markdown/index.js';

/** An outline node without its key and line: what must survive a render and a parse. */
export interface Plain {
  kind: TaskKind;
  id: string | null;
  text: string;
  completed: boolean;
  note: string | null;
  due: Due | null;
  assignees: string[];
  conflicts: ConflictMarker[];
  children: Plain[];
}

export function toPlain(node: OutlineNode): Plain {
  return {
    kind: node.kind,
    id: node.id,
    text: node.text,
    completed: node.completed,
    note: node.note,
    due: node.due,
    assignees: node.assignees,
    conflicts: node.conflicts,
    children: node.children.map(toPlain),
  };
}

export function plainOutline(outline: Outline): Plain[] {
  return outline.tasks.map(toPlain);
}
