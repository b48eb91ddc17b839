import { SyncError } from '../model/errors.js';
import type { ConflictMarker, LocalChange, NewItem } from '../model/local-change.js';
import { fieldEquals, type TaskKind, type TaskValues } from '../model/task.js';
import { compactId, shortId } from './identity.js';
import { formatLineMetadata, withBlockId, withDueDate, withTrailingBlockId } from './line-metadata.js';
import { indentWidth, quotedBlank, quotePrefix, type SourceLine } from './lines.js';
import { keptNoteRunsOn, noteToLines, opensBlock } from './note-lines.js';
import { parseOutline } from './parse.js';
import { sourceOf, type NodeSource, type ParsedSource, type SectionSource } from './source-map.js';
import type { Outline, OutlineNode } from './types.js';

export interface RenderOptions {
  /**
   * The project's task ids, to make `set-id` block ids unique among them (DESIGN §2, Identity).
   * Without them, an id is made unique among the ids already in the file.
   */
  projectIds?: Iterable<string>;
}

/**
 * Applies `changes` to `source` (whose outline is `outline = parseOutline(source)`), touching only
 * the lines of the items that change. The file is held as a tree of pieces: each item owns its
 * head (first line and note) and a body of gaps (lines that are not items: blank lines,
 * paragraphs, code) and child items. Untouched pieces are written back byte for byte.
 */
export function renderChanges(
  source: string,
  outline: Outline,
  changes: readonly LocalChange[],
  options: RenderOptions = {},
): string {
  let parsed = sourceOf(outline);
  let tree = outline;
  if (parsed === undefined || parsed.source !== source) {
    // A cloned outline (or one from another text) has no positions: parse again; keys are stable.
    tree = parseOutline(source);
    parsed = sourceOf(tree);
    if (parsed === undefined)
      throw new SyncError('INTERNAL', 'the outline of the file could not be rebuilt for rendering');
  }
  const doc = new DocumentModel(parsed, tree, options);
  changes.forEach((change, i) => doc.apply(change, i));
  return doc.serialize();
}

type Piece = { type: 'gap'; lines: SourceLine[] } | { type: 'node'; node: RNode };

interface RNode {
  key: string;
  kind: TaskKind | 'root';
  values: TaskValues;
  id: string | null;
  conflicts: ConflictMarker[];
  /** Position in the original file; `null` for an inserted item (written from its values). */
  src: NodeSource | null;
  head: SourceLine[];
  body: Piece[];
  parent: RNode | null;
  /** Moved or inserted: indentation, marker and heading level come from where it now sits. */
  placed: boolean;
  /** The container a change put it in, when it is written elsewhere (a task after a section goes inside it). */
  home: RNode | null;
  /** The user's own block id on a list item's line (`^abc`): it stays last, and no `^tk-` id is added. */
  anchor: string | null;
  /** The due date as the file had it: a date-only change replaces just the date's span. */
  srcDue: TaskValues['due'];
  /** The first-line fields that changed; the line is rewritten from its values only for text, assignees, time or conflicts. */
  dirty: Set<DirtyField>;
  contentDirty: boolean;
  checkboxDirty: boolean;
  noteDirty: boolean;
}

type DirtyField = 'text' | 'due' | 'assignees' | 'id' | 'conflicts';

interface TaskPlacement {
  indent: string;
  marker: string;
}

class DocumentModel {
  private readonly root: RNode;
  private readonly index = new Map<string, RNode>();
  private readonly eol: string;
  private readonly projectIds: string[] | null;

  constructor(
    private readonly parsed: ParsedSource,
    outline: Outline,
    options: RenderOptions,
  ) {
    this.eol = parsed.eol;
    this.projectIds = options.projectIds ? [...options.projectIds] : null;
    const lines = parsed.source === '' ? [] : parsed.lines;
    this.root = this.blankNode('', 'root', null);
    this.root.body = this.buildBody(lines, 0, lines.length, outline.tasks, this.root);
  }

  private blankNode(key: string, kind: RNode['kind'], src: NodeSource | null): RNode {
    return {
      key,
      kind,
      values: { text: '', completed: false, note: null, due: null, assignees: [] },
      id: null,
      conflicts: [],
      src,
      head: [],
      body: [],
      parent: null,
      placed: false,
      home: null,
      anchor: null,
      srcDue: null,
      dirty: new Set(),
      contentDirty: false,
      checkboxDirty: false,
      noteDirty: false,
    };
  }

  private buildBody(lines: SourceLine[], from: number, to: number, children: OutlineNode[], parent: RNode): Piece[] {
    const pieces: Piece[] = [];
    let cursor = from;
    for (const child of children) {
      const src = this.parsed.nodes.get(child.key);
      if (src === undefined || src.start < cursor) {
        throw new SyncError('INTERNAL', `line ${child.line}: item \`${child.key}\` has no position in the file`);
      }
      if (src.start > cursor) pieces.push({ type: 'gap', lines: lines.slice(cursor, src.start) });
      const node = this.blankNode(child.key, child.kind, src);
      node.values = {
        text: child.text,
        completed: child.completed,
        note: child.note,
        due: child.due,
        assignees: [...child.assignees],
      };
      node.srcDue = child.due;
      node.anchor = src.kind === 'task' ? src.anchor : null;
      node.id = child.id;
      node.conflicts = [...child.conflicts];
      node.head = lines.slice(src.start, src.headEnd);
      node.parent = parent;
      node.body = this.buildBody(lines, src.headEnd, src.end, child.children, node);
      this.index.set(node.key, node);
      pieces.push({ type: 'node', node });
      cursor = src.end;
    }
    if (cursor < to) pieces.push({ type: 'gap', lines: lines.slice(cursor, to) });
    return pieces;
  }

  // ── changes ────────────────────────────────────────────────────────────────────────────────

  apply(change: LocalChange, i: number): void {
    switch (change.type) {
      case 'update': {
        const n = this.node(change.key, i, change.type);
        const v = change.values;
        for (const field of ['text', 'due', 'assignees'] as const) {
          const next = v[field];
          if (next !== undefined && !fieldEquals(field, n.values[field], next)) {
            (n.values as unknown as Record<string, unknown>)[field] =
              field === 'assignees' ? [...(next as string[])] : next;
            n.dirty.add(field);
            n.contentDirty = true;
          }
        }
        if (v.completed !== undefined && v.completed !== n.values.completed && n.kind === 'task') {
          n.values.completed = v.completed;
          n.checkboxDirty = true;
        }
        if (v.note !== undefined && v.note !== n.values.note && n.kind === 'task') {
          n.values.note = v.note;
          n.noteDirty = true;
        }
        return;
      }
      case 'set-id': {
        const n = this.node(change.key, i, change.type);
        if (n.kind === 'section') {
          // A heading carries no id (its text is its anchor: GitHub, Obsidian links, tables of
          // contents); the journal knows which task it is. One written by an older version goes.
          if (n.id !== null) {
            n.id = null;
            n.dirty.add('id');
            n.contentDirty = true;
          }
          return;
        }
        // An item with its own block id keeps it last and gets no second one: the journal maps it.
        if (n.anchor !== null && n.id === null) return;
        n.id = this.shortFor(change.id, n);
        n.dirty.add('id');
        n.contentDirty = true;
        return;
      }
      case 'set-conflicts': {
        const n = this.node(change.key, i, change.type);
        n.conflicts = [...change.conflicts];
        n.dirty.add('conflicts');
        n.contentDirty = true;
        return;
      }
      case 'remove': {
        const n = this.node(change.key, i, change.type);
        this.detach(n);
        this.forget(n);
        return;
      }
      case 'insert': {
        if (this.index.has(change.item.key)) {
          throw new SyncError('INTERNAL', `change #${i} (insert): key \`${change.item.key}\` is already in the file`);
        }
        const container = this.container(change.parent, i, change.type);
        const node = this.fromNewItem(change.item, container.kind === 'task');
        this.attach(container, change.after, node, i, change.type);
        return;
      }
      case 'move': {
        const n = this.node(change.key, i, change.type);
        const container = this.container(change.parent, i, change.type);
        for (let a: RNode | null = container; a !== null; a = a.parent) {
          if (a === n)
            throw new SyncError('INTERNAL', `change #${i} (move): \`${change.key}\` cannot move into its own subtree`);
        }
        if (n.kind === 'section' && container.kind === 'task') {
          throw new SyncError(
            'INTERNAL',
            `change #${i} (move): section \`${change.key}\` cannot move under the list item \`${container.key}\` (a heading cannot sit in a list)`,
          );
        }
        this.detach(n);
        n.placed = true;
        n.home = null;
        this.attach(container, change.after, n, i, change.type);
        return;
      }
    }
  }

  private node(key: string, i: number, type: string): RNode {
    const n = this.index.get(key);
    if (n === undefined)
      throw new SyncError('INTERNAL', `change #${i} (${type}) names item \`${key}\`, which is not in the file`);
    return n;
  }

  private container(key: string | null, i: number, type: string): RNode {
    return key === null ? this.root : this.node(key, i, type);
  }

  private forget(n: RNode): void {
    this.index.delete(n.key);
    for (const p of n.body) if (p.type === 'node') this.forget(p.node);
  }

  private shortFor(fullId: string, self: RNode): string {
    if (this.projectIds !== null) return shortId(fullId, this.projectIds);
    const mine = compactId(fullId);
    const others = [...this.index.values()].filter((n) => n !== self && n.id !== null).map((n) => n.id as string);
    for (let len = Math.min(8, mine.length); len <= mine.length; len += 1) {
      const p = mine.slice(0, len);
      if (!others.some((o) => o.startsWith(p) || p.startsWith(o))) return p;
    }
    return mine;
  }

  private fromNewItem(item: NewItem, underTask: boolean): RNode {
    // A heading cannot sit inside a list item: a section inserted under a task is written as a task.
    const kind: TaskKind = underTask ? 'task' : item.kind;
    const n = this.blankNode(item.key, kind, null);
    n.values = { ...item.values, assignees: [...item.values.assignees] };
    n.id = item.id === null || kind === 'section' ? null : this.shortFor(item.id, n);
    n.placed = true;
    this.index.set(n.key, n);
    const children = item.children.map((c) => this.fromNewItem(c, kind === 'task'));
    const tasks = children.filter((c) => c.kind === 'task');
    const sections = children.filter((c) => c.kind === 'section');
    if (kind === 'section') {
      if (tasks.length > 0) n.body.push(this.blankGap());
      for (const t of tasks) n.body.push({ type: 'node', node: t });
      for (const s of sections) n.body.push(this.blankGap(), { type: 'node', node: s });
    } else {
      for (const c of children) n.body.push({ type: 'node', node: c });
    }
    for (const c of children) c.parent = n;
    return n;
  }

  private blankGap(): Piece {
    return { type: 'gap', lines: [{ text: '', eol: this.eol }] };
  }

  private detach(n: RNode): void {
    const parent = n.parent;
    if (parent === null) return;
    const at = parent.body.findIndex((p) => p.type === 'node' && p.node === n);
    if (at < 0) return;
    parent.body.splice(at, 1);
    // Do not leave two blank lines where the item was.
    const prev = parent.body[at - 1];
    const next = parent.body[at];
    if (prev?.type === 'gap' && next?.type === 'gap' && isBlankLine(prev.lines.at(-1)) && isBlankLine(next.lines[0])) {
      next.lines = next.lines.slice(1);
      if (next.lines.length === 0) parent.body.splice(at, 1);
    }
    n.parent = null;
  }

  private attach(named: RNode, afterKey: string | null, n: RNode, i: number, type: string): void {
    let container = named;
    let after: RNode | null = null;
    if (afterKey !== null) {
      after = this.node(afterKey, i, type);
      // An item written inside the section before it (see below) stands for its place here.
      while (after.parent !== container && after.home === container && after.parent !== null) {
        if (n.kind === 'task') {
          container = after.parent;
          n.home = named;
          break;
        }
        after = after.parent;
      }
      if (after.parent !== container) {
        throw new SyncError(
          'INTERNAL',
          `change #${i} (${type}): \`${afterKey}\` is not a child of \`${named.key || 'the top level'}\``,
        );
      }
    }
    if (n.kind === 'task' && container.kind !== 'task' && after !== null && after.kind === 'section') {
      // A task after a heading's section (Taskade shows it below that section's items) is written
      // after them: at the end of the section's last sub-section, the place it has on screen. It
      // reads as that section's item; before the first heading it would move to the top.
      let section: RNode = after;
      for (let last = lastSection(section); last !== null; last = lastSection(section)) section = last;
      const items = section.body.flatMap((p) => (p.type === 'node' && p.node.kind === 'task' ? [p.node] : []));
      n.home = named;
      container = section;
      after = items.at(-1) ?? null;
      if (after === null) {
        n.parent = container;
        this.insertFirstTask(container, { type: 'node', node: n }, null);
        return;
      }
    }
    n.parent = container;
    const body = container.body;
    const indexOf = (node: RNode): number => body.findIndex((p) => p.type === 'node' && p.node === node);
    const children = body.flatMap((p) => (p.type === 'node' ? [p.node] : []));
    const tasks = children.filter((c) => c.kind === 'task');
    const sections = children.filter((c) => c.kind === 'section');
    const piece: Piece = { type: 'node', node: n };

    if (container.kind === 'task') {
      const at = after !== null ? indexOf(after) + 1 : children.length > 0 ? indexOf(children[0] as RNode) : 0;
      body.splice(at, 0, piece);
      return;
    }
    if (n.kind === 'task') {
      // Under a heading, items come before sub-headings: a task after a section lands after the last task.
      const ref = after !== null && after.kind === 'task' ? after : after !== null ? (tasks.at(-1) ?? null) : null;
      if (ref !== null) body.splice(indexOf(ref) + 1, 0, piece);
      else if (tasks.length > 0) body.splice(indexOf(tasks[0] as RNode), 0, piece);
      else this.insertFirstTask(container, piece, sections[0] ?? null);
      return;
    }
    // A section: after its section sibling, else before the first sub-section, else at the end.
    let at: number;
    if (after !== null && after.kind === 'section') at = indexOf(after) + 1;
    else if (sections.length > 0) at = indexOf(sections[0] as RNode);
    else at = body.length;
    const pieces: Piece[] = [];
    if (at > 0 && !endsBlank(body[at - 1])) pieces.push(this.blankGap());
    pieces.push(piece);
    if (at < body.length && !startsBlank(body[at])) pieces.push(this.blankGap());
    body.splice(at, 0, ...pieces);
  }

  /** The first list item of a section (right after its heading) or of the top level (before the first section). */
  private insertFirstTask(container: RNode, piece: Piece, firstSection: RNode | null): void {
    const body = container.body;
    const at =
      container.kind === 'section'
        ? 0
        : firstSection === null
          ? body.length
          : body.findIndex((p) => p.type === 'node' && p.node === firstSection);
    const pieces: Piece[] = [];
    const before = at > 0 ? body[at - 1] : undefined;
    if (container.kind === 'section' ? true : before !== undefined && !endsBlank(before)) pieces.push(this.blankGap());
    pieces.push(piece);
    const next = body[at];
    if (next !== undefined && !startsBlank(next)) pieces.push(this.blankGap());
    body.splice(at, 0, ...pieces);
  }

  // ── writing ────────────────────────────────────────────────────────────────────────────────

  serialize(): string {
    const out: SourceLine[] = [];
    this.emitBody(this.root, out, (l) => l, '', 1, 1);
    let text = '';
    const originalEndsBare = this.parsed.source !== '' && !/[\r\n]$/.test(this.parsed.source);
    out.forEach((line, i) => {
      const last = i === out.length - 1;
      const eol = last && originalEndsBare ? '' : line.eol === '' ? this.eol : line.eol;
      text += line.text + eol;
    });
    return text;
  }

  /**
   * Writes a container's body. `shift` re-indents lines of a moved item's subtree; `indent` is the
   * container's current indentation (tasks), `level`/`srcLevel` its current and original heading level.
   */
  private emitBody(
    container: RNode,
    out: SourceLine[],
    shift: (l: SourceLine) => SourceLine,
    indent: string,
    level: number,
    srcLevel: number,
    contentRel = 2,
    headKept = true,
  ): void {
    container.body.forEach((piece, at) => {
      if (piece.type === 'gap') {
        for (const l of piece.lines) out.push(shift(l));
        return;
      }
      const n = piece.node;
      if (n.kind === 'section') {
        const sectionLevel =
          n.placed || n.src === null ? level + 1 : (n.src as SectionSource).level + (level - srcLevel);
        this.emitSection(n, out, Math.min(6, Math.max(2, sectionLevel)));
      } else {
        const firstLine = out.length;
        this.emitTask(n, out, this.placementOf(container, at, shift, indent, contentRel));
        // In a block quote the blank line keeps the quote's markers (`>`), or it would end the quote.
        if (this.continuesParagraph(container, at, headKept, out, firstLine))
          out.splice(firstLine, 0, { text: quotedBlank(out[firstLine]?.text ?? ''), eol: this.eol });
      }
    });
  }

  /**
   * Whether the task just written at `out[firstLine]` (the body piece `at` of `container`) would be
   * read as more text of a paragraph just before it instead of as an item: CommonMark lets a list
   * item interrupt a paragraph only when it is not empty and, if ordered, numbered 1 (micromark's
   * list construct checks exactly the digit `1`). `- a\n  note\n  2. b` is the note `note\n2. b`;
   * so is `- a\n  2. b`. A blank line ends the paragraph and keeps the item (and every number) as it
   * is. An item that followed the same line in the file was read as an item there and still is.
   */
  private continuesParagraph(
    container: RNode,
    at: number,
    headKept: boolean,
    out: SourceLine[],
    firstLine: number,
  ): boolean {
    const written = out[firstLine];
    const before = out[firstLine - 1];
    if (written === undefined || before === undefined || !cannotInterrupt(written.text)) return false;
    if (isBlankLine({ text: before.text.slice(quotePrefix(before.text).length), eol: '' })) return false;
    const n = (container.body[at] as Piece & { type: 'node' }).node;
    const prev = container.body[at - 1];
    if (prev === undefined) {
      // Right after its parent's head: a heading is no paragraph, nor is a first line with nothing
      // on it (and a blank line after one would end the item: `-\n\n  2. b` is two lists).
      if (container.kind !== 'task' || BARE_MARKER.test(before.text.slice(quotePrefix(before.text).length)))
        return false;
      const src = container.src;
      return !(headKept && !n.placed && n.src !== null && src !== null && n.src.start === src.headEnd);
    }
    if (prev.type === 'node') return false; // a sibling item: the line is not in its container
    return !(!n.placed && n.src !== null && prev.lines.at(-1) === this.parsed.lines[n.src.start - 1]);
  }

  private placementOf(
    container: RNode,
    at: number,
    shift: (l: SourceLine) => SourceLine,
    indent: string,
    contentRel: number,
  ): TaskPlacement {
    const body = container.body;
    const piece = body[at];
    const n = piece?.type === 'node' ? piece.node : null;
    if (n !== null && !n.placed && n.src?.kind === 'task') {
      return { indent: shift({ text: n.src.indent, eol: '' }).text, marker: n.src.marker };
    }
    // Moved or inserted: follow the nearest sibling that kept its place (before it, else after it).
    const order = [...body.slice(0, at).reverse(), ...body.slice(at + 1)];
    for (const p of order) {
      if (p.type === 'node' && !p.node.placed && p.node.src?.kind === 'task') {
        return { indent: shift({ text: p.node.src.indent, eol: '' }).text, marker: p.node.src.marker };
      }
    }
    // A new list: a moved item keeps its kind of marker, an inserted one takes the file's usual
    // bullet. An ordered item starts its new list at 1 (`3.` → `1.`, `7)` → `1)`): a list numbered
    // otherwise cannot follow a paragraph line, so its old number would need a blank line before it.
    const own = n?.src?.kind === 'task' ? n.src.marker : null;
    const marker = own === null ? this.parsed.bulletMarker : own.replace(/^\d+/, '1');
    if (container.kind !== 'task') return { indent: '', marker };
    return { indent: this.childIndent(indent, contentRel), marker };
  }

  /** Indentation for the first child of a task: the file's nesting step when it fits the item, else its content column. */
  private childIndent(indent: string, contentRel: number): string {
    const unit = this.parsed.indentUnit;
    if (unit !== null) {
      const w = indentWidth(indent + unit) - indentWidth(indent);
      if (w >= contentRel && w <= contentRel + 3) return indent + unit;
    }
    return indent + ' '.repeat(contentRel);
  }

  /** `withId`: the block id goes on this line (not at the end of a paragraph's later line). */
  private formatted(n: RNode, withId = true): string {
    return formatLineMetadata({
      text: n.values.text,
      due: n.values.due,
      assignees: n.values.assignees,
      conflicts: n.conflicts,
      id: withId ? n.id : null,
      anchor: n.anchor,
    });
  }

  /**
   * The item's first-line content with only the spans of the changed fields replaced (the block id,
   * the 📅 date), every other byte as written; `null` when a change needs the line written anew.
   */
  private editedContent(n: RNode, content: string, withId = true): string | null {
    if (!n.contentDirty) return content;
    let out = content;
    for (const field of n.dirty) {
      if (field === 'id') {
        if (n.id !== null && withId) out = withBlockId(out, n.id);
      } else if (field === 'due') {
        const [was, now] = [n.srcDue, n.values.due];
        if (was === null || now === null || was.time !== now.time || was.timezone !== now.timezone) return null;
        const next = withDueDate(out, now.date);
        if (next === null) return null;
        out = next;
      } else return null;
    }
    return out;
  }

  private emitSection(n: RNode, out: SourceLine[], level: number): void {
    const src = n.src?.kind === 'section' ? n.src : null;
    const levelChanged = src === null || src.level !== level;
    const idOnly = n.dirty.size === 1 && n.dirty.has('id');
    if (src !== null && (!n.contentDirty || idOnly) && !levelChanged) {
      const [first, ...rest] = n.head;
      if (idOnly && first !== undefined) out.push({ text: withoutHeadingId(first.text), eol: first.eol }, ...rest);
      else out.push(...n.head);
    } else {
      const content = formatLineMetadata({
        text: n.values.text,
        due: n.values.due,
        assignees: n.values.assignees,
        conflicts: n.conflicts,
        id: n.id,
      });
      if (src !== null && src.setext && !levelChanged) {
        out.push({ text: content, eol: n.head[0]?.eol ?? this.eol }, ...n.head.slice(1));
      } else {
        // A setext heading that changes level is rewritten in ATX form.
        out.push({
          text: '#'.repeat(level) + (content.length > 0 ? ' ' + content : ''),
          eol: n.head[0]?.eol ?? this.eol,
        });
      }
    }
    this.emitBody(n, out, (l) => l, '', level, src?.level ?? level);
  }

  private emitTask(n: RNode, out: SourceLine[], place: TaskPlacement): void {
    const src = n.src?.kind === 'task' ? n.src : null;
    const oldIndent = src?.indent ?? '';
    const marker = src !== null && !n.placed ? src.marker : place.marker;
    const gap = src?.gap || ' ';
    // Lines inside a moved item sit at its content column: re-indent them to the new one.
    const oldPad = src === null ? '' : ' '.repeat(contentWidth(src.marker, src.gap));
    const newPad = ' '.repeat(contentWidth(marker, gap));
    const shift = (l: SourceLine): SourceLine => {
      if (src === null || (place.indent === oldIndent && oldPad === newPad)) return l;
      if (l.text.startsWith(oldIndent + oldPad))
        return { text: place.indent + newPad + l.text.slice(oldIndent.length + oldPad.length), eol: l.eol };
      if (l.text.startsWith(oldIndent)) return { text: place.indent + l.text.slice(oldIndent.length), eol: l.eol };
      return l;
    };
    const moved = src === null || place.indent !== oldIndent || marker !== src.marker;
    // A code fence or an HTML block that the item's end closed would take in what is now written
    // after it: a note given to the item, or a child moved or inserted under it.
    const children = n.body.some((p) => p.type === 'node');
    const newChildren = n.body.some((p) => p.type === 'node' && p.node.placed);
    const blankAfterHead = startsBlank(n.body[0]);
    // `- ```` opens a fence on the first line: written `- [ ] ```` it is text (not completed, as before).
    const boxOpener =
      src !== null &&
      src.checkbox === null &&
      !n.contentDirty &&
      opensBlock(src.content) &&
      (n.noteDirty || newChildren);
    const rewriteNote =
      src === null ||
      n.noteDirty ||
      boxOpener ||
      (newChildren &&
        n.values.note !== null &&
        keptNoteRunsOn(
          n.head.slice(1).map((l) => l.text),
          src.contentColumn,
          blankAfterHead,
        ));

    // The block id sits at the end of the item's first paragraph (its last line, when the file's
    // note lines are kept), where Obsidian reads it; when the note is written anew, on the first line.
    const idAt = src !== null && !rewriteNote ? Math.min(src.idLine - src.start, n.head.length - 1) : 0;
    if (src !== null && src.idLine > src.start && idAt === 0 && n.id !== null) {
      n.dirty.add('id');
      n.contentDirty = true;
    }
    const firstDirty = n.contentDirty && !(idAt > 0 && n.dirty.size === 1 && n.dirty.has('id'));
    const firstLineKept = src !== null && !moved && !firstDirty && !n.checkboxDirty && !boxOpener;
    // The head as the file had it, its note lines re-indented at most: what follows it is read as before.
    const headKept = !rewriteNote && (firstLineKept || n.head.length > 1);
    if (firstLineKept) out.push(n.head[0] as SourceLine);
    else {
      const edited = src === null ? null : this.editedContent(n, src.content, idAt === 0);
      let content = edited ?? this.formatted(n, idAt === 0);
      let box: string | null;
      if (src === null) box = n.values.completed ? 'x' : ' ';
      else if (!n.checkboxDirty) box = src.checkbox;
      else box = n.values.completed ? (src.checkbox === 'X' ? 'X' : 'x') : src.checkbox === null ? null : ' ';
      // A plain bullet stays plain, unless the text written anew would read as other markdown
      // (`# x`, `[ ] x`, `1. x`): a link, a tag, `**bold**` or `7.18.0:` stay plain.
      if (box === null && (edited === null || boxOpener) && readsAsOtherMarkdown(content)) box = ' ';
      if (box !== null) content = `[${box}]` + (content.length > 0 ? ' ' + content : '');
      out.push({
        text: place.indent + marker + (content.length > 0 ? gap + content : ''),
        eol: n.head[0]?.eol ?? this.eol,
      });
    }
    if (!rewriteNote) {
      const noteLines = n.head.slice(1).map(shift);
      const last = noteLines[idAt - 1];
      if (last !== undefined && n.dirty.has('id') && n.id !== null)
        noteLines[idAt - 1] = { text: withTrailingBlockId(last.text, n.id), eol: last.eol };
      out.push(...noteLines);
    } else if (n.values.note !== null) {
      const noteIndent = place.indent + ' '.repeat(contentWidth(marker, gap));
      out.push(
        ...noteToLines(n.values.note, noteIndent, { children, blankLine: blankAfterHead }).map((text) => ({
          text,
          eol: this.eol,
        })),
      );
    }
    this.emitBody(n, out, shift, place.indent, 0, 0, contentWidth(marker, gap), headKept);
  }
}

/** A heading line without the `^tk-` id an older version wrote (and the white space before it); every other byte kept. */
function withoutHeadingId(line: string): string {
  return line.replace(/[ \t]*\^tk-[A-Za-z0-9]+(?=(?:[ \t]+#+)?[ \t]*$)/u, '');
}

/**
 * Content that, right after a bare list marker, would be read as another block (a heading, a
 * checkbox, a nested list, a quote, a fence, HTML, a thematic break) or as nothing (empty).
 */
function readsAsOtherMarkdown(content: string): boolean {
  return (
    content.length === 0 ||
    /^(?:#{1,6}(?:[ \t]|$)|\[[^[\]]\](?:[ \t]|$)|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>|```|~~~|<)/u.test(content) ||
    /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/.test(content)
  );
}

function lastSection(n: RNode): RNode | null {
  const last = n.body.findLast((p) => p.type === 'node' && p.node.kind === 'section');
  return last?.type === 'node' ? last.node : null;
}

function contentWidth(marker: string, gap: string): number {
  const w = indentWidth(marker + gap) - marker.length;
  return marker.length + (w >= 1 && w <= 4 ? w : 1);
}

/** A list item line that is only its marker: an empty item, which cannot interrupt a paragraph. */
const BARE_MARKER = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*$/;
/** An ordered item numbered other than exactly `1` (`2.`, `01.`, `10)`), which cannot interrupt a paragraph. */
const ORDERED_NOT_ONE = /^[ \t]*(?!1[.)])\d{1,9}[.)](?:[ \t]|$)/;

function cannotInterrupt(line: string): boolean {
  const text = line.slice(quotePrefix(line).length); // inside a block quote the rule is the same
  return BARE_MARKER.test(text) || ORDERED_NOT_ONE.test(text);
}

function isBlankLine(l: SourceLine | undefined): boolean {
  return l !== undefined && /^[ \t]*$/.test(l.text);
}

function endsBlank(p: Piece | undefined): boolean {
  return p?.type === 'gap' && isBlankLine(p.lines.at(-1));
}

function startsBlank(p: Piece | undefined): boolean {
  return p?.type === 'gap' && isBlankLine(p.lines[0]);
}
