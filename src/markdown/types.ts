import type { TaskKind, TaskValues } from '../model/task.js';
import type { ConflictMarker } from '../model/local-change.js';

/**
 * Something the parser could not fully understand, with the 1-based line it concerns.
 * `error` means the file must not be synced at all (the engine skips it); `warning` concerns one
 * item or one construct and the rest of the file is fine.
 */
export interface Diagnostic {
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface OutlineNode extends TaskValues {
  /** Unique within this parse: `id:<short>` for the first item carrying a block id, else `line:<n>`. */
  key: string;
  /** The block id as written (short form, without `^tk-`); `null` if none or a later duplicate. */
  id: string | null;
  kind: TaskKind;
  /** 1-based line of the item's first line / the heading. */
  line: number;
  /** Conflict markers parsed from the line; they are not part of `text`. */
  conflicts: ConflictMarker[];
  children: OutlineNode[];
}

export interface Outline {
  /** `taskade.project` from the front matter, or `null` when the file is not linked. */
  project: string | null;
  /** The text of the first H1, or `null`. */
  title: string | null;
  tasks: OutlineNode[];
  diagnostics: Diagnostic[];
}
