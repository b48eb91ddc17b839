import type { Field, TaskKind, TaskValues } from './task.js';

/**
 * Changes to a markdown file, as the planner asks for them and the renderer applies them.
 * Items are named by their outline `key` (see `OutlineNode.key` in `src/markdown/`); an inserted
 * item brings its own key, which later changes in the same list may use as `parent` or `after`.
 * Changes are applied in list order.
 */
export type LocalChange =
  /** Set some fields of an existing item (only these fields; the others stay as written). */
  | { type: 'update'; key: string; values: Partial<TaskValues> }
  /** Write (or replace) the item's block id for this full Taskade task id. */
  | { type: 'set-id'; key: string; id: string }
  /**
   * Insert a new item (with its subtree) as a child of `parent` (`null` = top level of the file's
   * task area) directly after the sibling `after` (`null` = as the first child).
   */
  | { type: 'insert'; item: NewItem; parent: string | null; after: string | null }
  /** Move an existing item (with its subtree) to a new parent / position, same addressing as insert. */
  | { type: 'move'; key: string; parent: string | null; after: string | null }
  /** Remove an item and its subtree. */
  | { type: 'remove'; key: string }
  /** Replace the conflict markers shown beside the item (an empty list clears them). */
  | { type: 'set-conflicts'; key: string; conflicts: ConflictMarker[] };

export interface NewItem {
  key: string;
  /** Full Taskade task id to write as the block id, or `null` for none. */
  id: string | null;
  kind: TaskKind;
  values: TaskValues;
  children: NewItem[];
}

/**
 * A conflict kept visible in the file: the value that lost on `field`. It is written beside the
 * task in a form obsidian-tasks still parses, and parsed back so the engine knows it is pending.
 */
export interface ConflictMarker {
  field: Field;
  value: TaskValues[Field];
}
