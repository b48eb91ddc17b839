import type { SourceLine } from './lines.js';
import type { Outline } from './types.js';

/** Where a list item sits in the file; line numbers are 0-based indexes into `lines`, ends exclusive. */
export interface TaskSource {
  kind: 'task';
  start: number;
  /** End of the first line plus the note lines (trailing blank lines excluded). */
  headEnd: number;
  /** End of the whole item, its children and any content after them included. */
  end: number;
  /**
   * What precedes the marker: white space, and in a block quote or callout the quote's markers
   * (`> `, `> > `, `>   ` for a nested item), which a rewritten or inserted line repeats exactly.
   */
  indent: string;
  /** `-`, `*`, `+`, `1.`, `1)`. */
  marker: string;
  /** A copied line: the block id an earlier item with the same text carries (this one's `id` is null). */
  copyOf?: string;
  /** White space between the marker and the content. */
  gap: string;
  /** The status symbol (`' '`, `'x'`, `'-'`, `'/'`…) or `null` for a plain bullet. */
  checkbox: string | null;
  /** What follows the checkbox on the first line: text and metadata. */
  content: string;
  /** Column where the item's content starts, the quote's markers included (note lines are indented to it). */
  contentColumn: number;
  /**
   * Where the item's block id is (or goes): the last line of the paragraph its first line starts
   * (Obsidian reads a block id at the end of a paragraph), or the first line when an id is there
   * already (older versions wrote it there).
   */
  idLine: number;
  /**
   * The user's own block id last on the first line (`^abc`, without `^`): the item's anchor. It is
   * not text, no `^tk-` id is added after it (it stays last), and the journal maps it to the task.
   */
  anchor: string | null;
}

export interface SectionSource {
  kind: 'section';
  start: number;
  headEnd: number;
  /** Up to the next heading of the same or a higher level (or a later H1), or the end of the file. */
  end: number;
  level: number;
  /** ATX (`## x`) or setext (`x` underlined); a setext heading's first line is its text. */
  setext: boolean;
}

export type NodeSource = TaskSource | SectionSource;

export interface ParsedSource {
  source: string;
  lines: SourceLine[];
  eol: string;
  /** Outline key → position. */
  nodes: Map<string, NodeSource>;
  /** Index of the first line after the front matter (0 without front matter). */
  bodyStart: number;
  /** The marker most unordered items use, for new lists. */
  bulletMarker: string;
  /** What nested items add to their parent's indentation, for new nested lists; `null` = the parent's content column. */
  indentUnit: string | null;
}

// The renderer needs positions the public outline does not show; kept beside it, not in it, so the
// outline stays plain data (JSON.stringify, structuredClone and deep equality see only the model).
const SOURCES = new WeakMap<Outline, ParsedSource>();

export function attachSource(outline: Outline, parsed: ParsedSource): void {
  SOURCES.set(outline, parsed);
}

export function sourceOf(outline: Outline): ParsedSource | undefined {
  return SOURCES.get(outline);
}
