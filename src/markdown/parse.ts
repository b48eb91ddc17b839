import { LIMITS } from '../taskade/limits.js';
import { readProjectLink } from './front-matter.js';
import { parseLineMetadata, splitTrailingBlockId, type IsAssignee } from './line-metadata.js';
import { dominantEol, indentWidth, quoteDepth, quotePrefix, splitLines, type SourceLine } from './lines.js';
import type { Block } from './block-tree.js';
import { outlineBlocks, type BlockReader } from './markdown-blocks.js';
import { noteFromLines } from './note-lines.js';
import { attachSource, type NodeSource, type ParsedSource, type SectionSource, type TaskSource } from './source-map.js';
import type { Diagnostic, Outline, OutlineNode } from './types.js';

/** Taskade's `content` limit (counted in code points, as JSON Schema counts `maxLength`). */
export const TASKADE_TEXT_LIMIT = LIMITS.contentLength;

const ITEM_START = /^([-*+]|\d{1,9}[.)])([ \t]*)/;
/** What may precede an item's marker on its line: white space, and the markers of the block quotes it sits in. */
const ITEM_INDENT = /^(?:[ \t]*>)*[ \t]*$/;
// Any one symbol is a status, as obsidian-tasks reads them (`[/]`, `[-]`, `[>]`…).
const CHECKBOX = /^\[([^[\]])\](?=[ \t]|$)[ \t]*/u;
/**
 * How deep list items nest and are still tasks. Deeper items are kept as written, in their
 * ancestor's body, and not synced (a warning names the lines): far beyond any real note, and it
 * keeps the outline's tree (which every stage walks recursively) shallow whatever a file holds.
 */
export const MAX_LIST_DEPTH = 100;
/** obsidian-tasks' DONE (`x`, `X`) and CANCELLED (`-`) types are completed; TODO, IN_PROGRESS and the rest are open. */
const COMPLETED_STATUSES = new Set(['x', 'X', '-']);

/**
 * Parses a notes file into its outline (DESIGN §2). Never throws: anything it cannot use is a
 * diagnostic, and the rest of the file is kept as written.
 */
export interface ParseOptions {
  path?: string;
  /** Which trailing `@word`s are assignees (the project's member handles); default every one. */
  isAssignee?: IsAssignee;
}

export function parseOutline(source: string, options: ParseOptions = {}): Outline {
  return parseOutlineWith(outlineBlocks, source, options);
}

/**
 * `parseOutline` with the markdown reader given. Internal (index.ts does not export it): tests
 * hold the piecewise reader to a whole-file parse through it.
 */
export function parseOutlineWith(readBlocks: BlockReader, source: string, options: ParseOptions = {}): Outline {
  try {
    return new OutlineParser(source, readBlocks, options.isAssignee).parse();
  } catch (error) {
    // A bug here must not crash a sync of other files, and must not read as "no tasks" either:
    // an `error` diagnostic makes the engine skip the file.
    const where = options.path === undefined ? '' : ` in ${options.path}`;
    const message = error instanceof Error ? error.message : String(error);
    return {
      project: null,
      title: null,
      tasks: [],
      diagnostics: [{ line: 1, severity: 'error', message: `internal parser error${where}: ${message}` }],
    };
  }
}

interface Container {
  node: OutlineNode | null;
  source: SectionSource | null;
  children: OutlineNode[];
}

class OutlineParser {
  private readonly lines: SourceLine[];
  private readonly nodes = new Map<OutlineNode, NodeSource>();
  private readonly diagnostics: Diagnostic[] = [];
  private project: string | null = null;
  private title: string | null = null;
  private bodyStart = 0;
  private readonly markerCounts = new Map<string, number>();
  private readonly indentSteps = new Map<string, number>();

  constructor(
    private readonly source: string,
    private readonly readBlocks: BlockReader,
    private readonly isAssignee?: IsAssignee,
  ) {
    this.lines = splitLines(source);
  }

  parse(): Outline {
    const root: Container = { node: null, source: null, children: [] };
    const stack: Container[] = [root];
    const close = (level: number, at: number): void => {
      for (let top = stack.at(-1); top && top.source && top.source.level >= level; top = stack.at(-1)) {
        top.source.end = at;
        stack.pop();
      }
    };
    for (const [block, next] of withNext(this.readBlocks(this.source))) {
      switch (block.type) {
        case 'yaml':
          this.readFrontMatter(block);
          break;
        case 'heading':
          if (block.depth === 1) {
            if (this.title === null) this.title = this.headingText(block);
            else {
              close(2, this.startLine(block));
              this.warn(
                this.startLine(block),
                'a second H1 is not the title and not a section; the items after it are top-level tasks',
              );
            }
          } else {
            close(block.depth ?? 2, this.startLine(block));
            const section = this.section(block);
            const container = stack.at(-1) ?? root;
            container.children.push(section.node);
            stack.push({ node: section.node, source: section.source, children: section.node.children });
          }
          break;
        case 'list':
          (stack.at(-1) ?? root).children.push(
            ...this.listItems(block, null, next === null ? this.lines.length : this.startLine(next), 1),
          );
          break;
        case 'blockquote':
          (stack.at(-1) ?? root).children.push(
            ...this.quoteTasks(block, next === null ? this.lines.length : this.startLine(next)),
          );
          break;
        default:
          break;
      }
    }
    close(2, this.lines.length);
    const tasks = root.children;
    const keyed = this.assignKeys(tasks);
    const outline: Outline = { project: this.project, title: this.title, tasks, diagnostics: this.sortedDiagnostics() };
    const parsed: ParsedSource = {
      source: this.source,
      lines: this.lines,
      eol: dominantEol(this.lines),
      nodes: keyed,
      bodyStart: this.bodyStart,
      bulletMarker: mostCommon(this.markerCounts) ?? '-',
      indentUnit: mostCommon(this.indentSteps),
    };
    attachSource(outline, parsed);
    return outline;
  }

  private readFrontMatter(block: Block): void {
    const endLine = block.position?.end.line ?? 1;
    this.bodyStart = endLine;
    const { project, diagnostics } = readProjectLink(block.value ?? '', 2);
    this.project = project;
    this.diagnostics.push(...diagnostics);
  }

  private startLine(node: { position?: { start: { line: number } } | undefined }): number {
    return (node.position?.start.line ?? 1) - 1;
  }

  /** Exclusive 0-based end line of a node (an end at column 1 of a later line does not own that line). */
  private endLine(node: {
    position?: { start: { line: number }; end: { line: number; column: number } } | undefined;
  }): number {
    const pos = node.position;
    if (!pos) return 0;
    return pos.end.column === 1 && pos.end.line > pos.start.line ? pos.end.line - 1 : pos.end.line;
  }

  private headingText(block: Block): string {
    const line = this.lines[this.startLine(block)]?.text ?? '';
    return this.headingContent(line).trim();
  }

  private headingContent(line: string): string {
    if (!/^ {0,3}#/.test(line)) return line.trim(); // setext: the first line is the text
    return line
      .replace(/^ {0,3}#{1,6}(?:[ \t]+|$)/, '')
      .replace(/(?:^|[ \t]+)#+[ \t]*$/, '')
      .replace(/[ \t]+$/, '');
  }

  private section(block: Block): { node: OutlineNode; source: SectionSource } {
    const start = this.startLine(block);
    const line = this.lines[start]?.text ?? '';
    const setext = !/^ {0,3}#/.test(line);
    const meta = parseLineMetadata(this.headingContent(line), this.isAssignee);
    for (const p of meta.problems) this.warn(start, p);
    const node: OutlineNode = {
      key: '',
      id: meta.id,
      kind: 'section',
      line: start + 1,
      text: meta.text,
      completed: false,
      note: null,
      due: meta.due,
      assignees: meta.assignees,
      conflicts: meta.conflicts,
      children: [],
    };
    const source: SectionSource = {
      kind: 'section',
      start,
      headEnd: this.endLine(block),
      end: this.lines.length,
      level: block.depth ?? 2,
      setext,
    };
    this.nodes.set(node, source);
    return { node, source };
  }

  /**
   * The items of the lists in a block quote or a callout (`> - [ ] x`, `> [!note]` then items),
   * and in the quotes inside it (`> > - [ ] x`), as items of the quote's container: the quote's
   * markers are part of each item's indentation, so a rewritten line keeps them exactly.
   */
  private quoteTasks(quote: Block, limit: number): OutlineNode[] {
    const out: OutlineNode[] = [];
    const children = quote.children ?? [];
    const end = Math.min(limit, Math.max(this.startLine(quote) + 1, this.endLine(quote)));
    children.forEach((child, i) => {
      const next = children[i + 1];
      const childLimit = next === undefined ? end : Math.min(end, this.startLine(next));
      if (child.type === 'list') out.push(...this.listItems(child, null, childLimit, 1));
      else if (child.type === 'blockquote') out.push(...this.quoteTasks(child, childLimit));
    });
    return out;
  }

  /**
   * `limit`: the exclusive line no item of `list` may reach (where the next block, or the parent
   * item's next sibling, starts). Each item is also held to the start of its next sibling, see `task`.
   */
  private listItems(list: Block, parent: TaskSource | null, limit: number, depth: number): OutlineNode[] {
    const out: OutlineNode[] = [];
    const items = list.children ?? [];
    items.forEach((item, i) => {
      const next = items[i + 1];
      const node = this.task(item, parent, next === undefined ? limit : Math.min(limit, this.startLine(next)), depth);
      if (node) out.push(node);
    });
    return out;
  }

  /**
   * `limit` is where the item must end at the latest. Why not take remark's end as it is: when an
   * item's last block is a fenced code or an HTML block (`<!--`, `<pre>`…) that the item's end
   * closes, micromark 4 ends the item after the next item's marker (`- ```\n- b`: item 1 ends at
   * 2:3), so the next item's first line would be read as this item's note as well. The same
   * when what follows is another list (`1. x` then `- y`).
   */
  private task(item: Block, parent: TaskSource | null, limit: number, depth: number): OutlineNode | null {
    const start = this.startLine(item);
    const lineText = this.lines[start]?.text ?? '';
    const column = (item.position?.start.column ?? 1) - 1;
    const indent = lineText.slice(0, column);
    const m = ITEM_START.exec(lineText.slice(column));
    if (!m || !ITEM_INDENT.test(indent) || (parent !== null && parent.start === start)) {
      // A list item that does not start its own line (`- - x`): not a task, kept as written.
      this.warn(start, 'a list item that shares its line with another item is not synced');
      return null;
    }
    const marker = m[1] ?? '-';
    const gap = m[2] ?? '';
    let content = lineText.slice(column + m[0].length);
    const box = CHECKBOX.exec(content);
    const checkbox = box ? (box[1] ?? ' ') : null;
    if (box) content = content.slice(box[0].length);
    const gapWidth = indentWidth(indent + marker + gap) - indentWidth(indent + marker);
    // CommonMark: 5+ spaces after the marker mean indented code; the content column is then marker + 1.
    const contentColumn = indentWidth(indent + marker) + (gapWidth >= 1 && gapWidth <= 4 ? gapWidth : 1);
    const end = Math.max(start + 1, Math.min(this.endLine(item), limit));
    const children = item.children ?? [];
    const nested = children.filter((c) => c.type === 'list');
    const firstChild = nested[0] !== undefined ? this.startLine(nested[0]) : end;
    // In a block quote, note lines carry the quote's markers (or none: a lazy line); read without them.
    const quote = quotePrefix(indent);
    const depthOfQuote = quoteDepth(quote);
    const unquoted = (line0: number): string => {
      const text = this.lines[line0]?.text ?? '';
      return depthOfQuote === 0 ? text : text.slice(quotePrefix(text, depthOfQuote).length);
    };
    let headEnd = Math.max(start + 1, Math.min(firstChild, end));
    while (headEnd > start + 1 && /^[ \t]*$/.test(unquoted(headEnd - 1))) headEnd -= 1;
    const meta = parseLineMetadata(content, this.isAssignee, true);
    for (const p of meta.problems) this.warn(start, p);
    const noteLines: string[] = [];
    for (let l = start + 1; l < headEnd; l += 1) noteLines.push(unquoted(l));
    // A paragraph over several lines: its block id is at the end of its last line.
    const first = children[0];
    let idLine = start;
    if (meta.id === null && first?.type === 'paragraph' && this.startLine(first) === start) {
      idLine = Math.min(headEnd, this.endLine(first)) - 1;
      const onLast = idLine > start ? splitTrailingBlockId(noteLines[idLine - start - 1] ?? '') : null;
      if (onLast !== null) {
        meta.id = onLast.id;
        noteLines[idLine - start - 1] = onLast.rest;
      }
    }
    const source: TaskSource = {
      kind: 'task',
      start,
      headEnd,
      end,
      indent,
      marker,
      gap,
      checkbox,
      content,
      contentColumn,
      idLine,
      anchor: meta.anchor,
    };
    if (!/^\d/.test(marker)) this.markerCounts.set(marker, (this.markerCounts.get(marker) ?? 0) + 1);
    if (parent !== null) this.noteIndentStep(parent, indent);

    const node: OutlineNode = {
      key: '',
      id: meta.id,
      kind: 'task',
      line: start + 1,
      text: meta.text,
      completed: checkbox !== null && COMPLETED_STATUSES.has(checkbox),
      note: noteFromLines(noteLines, contentColumn - indentWidth(quote)),
      due: meta.due,
      assignees: meta.assignees,
      conflicts: meta.conflicts,
      children: [],
    };
    const length = [...meta.text].length;
    if (length > TASKADE_TEXT_LIMIT) {
      this.warn(
        start,
        `task text is ${length} characters; Taskade accepts at most ${TASKADE_TEXT_LIMIT}, so this item is not pushed until it is shortened`,
      );
    }
    this.nodes.set(node, source);
    this.warnContentAfterList(children, end);
    if (depth >= MAX_LIST_DEPTH && nested[0] !== undefined) {
      const first = this.startLine(nested[0]);
      this.warn(
        first,
        `list items nested more than ${MAX_LIST_DEPTH} levels deep are not synced; lines ${first + 1}–${end} are kept as written`,
      );
      return node;
    }
    // A nested list ends where the item's next block starts (another list, too: `1.` then `-`).
    children.forEach((child, i) => {
      if (child.type !== 'list') return;
      const next = children[i + 1];
      node.children.push(
        ...this.listItems(child, source, next === undefined ? end : Math.min(end, this.startLine(next)), depth + 1),
      );
    });
    return node;
  }

  /**
   * An item's content after its first nested list (a paragraph, code, a quote between or after its
   * child lists) is not its note (the note is what comes before the first nested list): it stays
   * in the item's lines as written, moves with the item, and is not sent to Taskade. Said once per
   * item, naming the lines.
   */
  private warnContentAfterList(children: readonly Block[], end: number): void {
    const first = children.findIndex((c) => c.type === 'list');
    if (first < 0) return;
    const after = children.slice(first + 1).filter((c) => c.type !== 'list');
    const head = after[0];
    const tail = after.at(-1);
    if (head === undefined || tail === undefined) return;
    const from = this.startLine(head);
    const to = Math.min(end, Math.max(from + 1, this.endLine(tail)));
    this.warn(
      from,
      `content after this item's first nested list (${to - from > 1 ? `lines ${from + 1}–${to}` : `line ${from + 1}`}) is not its note and is not synced; it is kept as written and moves with the item`,
    );
  }

  private noteIndentStep(parent: TaskSource, indent: string): void {
    if (!indent.startsWith(parent.indent)) return;
    const step = indent.slice(parent.indent.length);
    if (step.length > 0) this.indentSteps.set(step, (this.indentSteps.get(step) ?? 0) + 1);
  }

  /** Keys and duplicate ids, in document order (pre-order is line order). */
  private assignKeys(tasks: OutlineNode[]): Map<string, NodeSource> {
    const byKey = new Map<string, NodeSource>();
    const firstOfId = new Map<string, { line: number; text: string }>();
    const visit = (node: OutlineNode): void => {
      let copyOf: string | undefined;
      if (node.id !== null) {
        const first = firstOfId.get(node.id);
        if (first === undefined) firstOfId.set(node.id, { line: node.line, text: node.text });
        else if (first.text === node.text) {
          // A copied line: the same task, not synced a second time (the engine plans it once).
          this.warn(
            node.line - 1,
            `block id ^tk-${node.id} is already used on line ${first.line} with the same text; this line is the same task and is not synced`,
          );
          copyOf = node.id;
          node.id = null;
        } else {
          this.warn(
            node.line - 1,
            `block id ^tk-${node.id} is already used on line ${first.line}; this item is read as a new task`,
          );
          node.id = null;
        }
      }
      node.key = node.id !== null ? `id:${node.id}` : `line:${node.line}`;
      const source = this.nodes.get(node);
      if (source?.kind === 'task' && copyOf !== undefined) source.copyOf = copyOf;
      if (source) byKey.set(node.key, source);
      for (const child of node.children) visit(child);
    };
    for (const t of tasks) visit(t);
    return byKey;
  }

  private warn(line0: number, message: string): void {
    this.diagnostics.push({ line: line0 + 1, severity: 'warning', message });
  }

  private sortedDiagnostics(): Diagnostic[] {
    return this.diagnostics
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.line - b.d.line || a.i - b.i)
      .map(({ d }) => d);
  }
}

/** Each item with the one after it (`null` for the last), reading one item ahead. */
function* withNext<T>(items: Iterable<T>): Generator<[T, T | null]> {
  let previous: { value: T } | null = null;
  for (const value of items) {
    if (previous !== null) yield [previous.value, value];
    previous = { value };
  }
  if (previous !== null) yield [previous.value, null];
}

function mostCommon(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}
