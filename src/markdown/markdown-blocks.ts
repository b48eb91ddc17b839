import { blockTree, type Block, type BlockPoint } from './block-tree.js';

/**
 * A markdown file's top-level mdast blocks, parsed in pieces cut at top-level ATX headings and
 * top-level list items.
 *
 * Why: micromark 4.0.3's document tokenizer, each time it closes containers (every list item that
 * ends), moves the exit events through `EditMap.consume` (micromark-util-edit-map 1.0.0), which
 * copies the whole event list of the document so far. A file of n list items therefore costs
 * O(n²): 10,000 items took ~9 s, most of it in that copy and the garbage it leaves. Parsed in
 * pieces of a few kilobytes, the copy is bounded by the piece instead of the file.
 *
 * Why a cut is safe: a piece ends with a line that the piece's own parse shows to be a top-level
 * ATX heading, and the next piece starts at that line. A block's extent is decided by the lines up
 * to the next non-blank one (setext underlines, table delimiter rows, lazy continuations and
 * definition titles look one line ahead; an unclosed code fence or HTML block runs on, which the
 * check sees as "not a heading"), so the piece's parse agrees with the whole-file parse through
 * that heading; and after a top-level ATX heading nothing is open, the state a fresh parse starts
 * in. Front matter is the exception that looks further: micromark reads every line to the closing
 * fence before deciding, so the first piece always extends past that fence, and a file whose
 * opening fence is never closed is not cut at all. A heading-like line that is not a top-level
 * heading (in code, HTML, a list item) is not a cut: the piece grows to a later candidate, at least
 * doubling, so a file with no usable cut costs about one whole-file parse.
 * test/markdown/chunked-parse.test.ts holds all of this to the whole-file parse.
 *
 * Why list items too: a project's tasks are often one long list under its title, with no heading
 * to cut at. That list was then one whole-file parse, whose micromark events (about 25,000 for
 * 1,000 items, with some 80 MB of garbage made on the way) all live until the parse ends: long
 * enough to be promoted to V8's old generation, which grew the daemon by tens of megabytes with
 * each parse. A top-level item (its marker in the first column) is cut at the same way as a
 * heading, when the piece's own parse shows an item of a top-level list starting on that line:
 * the items before it end there in a whole-file parse too, and the item starts a list in a fresh
 * parse. The next piece's first block is the rest of that list, joined to the items before
 * (`joinList`): the same list node, items and positions as the whole-file parse.
 *
 * What differs from a whole-file parse: only inline content that depends on a definition in
 * another piece (`[x]` or `[^x]` defined in another piece comes out as text, not a reference).
 * Block nodes, their fields and every position are the same; the outline parser reads text from
 * the source lines, never from inline nodes.
 */

type Point = BlockPoint;
type Position = { start: Point; end: Point };

/**
 * A piece is cut at the first usable heading after this many characters: the quadratic term is
 * negligible at this size and the cost per parse is amortised (measured: pieces of one or two
 * 3 KB sections parse fastest; 10 KB and up get slower again).
 */
const PIECE_CHARS = 4096;

/** A line that may be an ATX heading (CommonMark: up to 3 spaces, 1–6 `#`, then white space or the end). */
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
/** A line that may start a top-level list item (its marker in the first column). */
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const CUT_LINE = new RegExp(`${ATX_HEADING.source}|${LIST_ITEM.source}`);
const FRONT_MATTER_OPEN = /^\uFEFF?---/;
/** micromark-extension-frontmatter's closing fence, exactly. */
const FRONT_MATTER_CLOSE = /^---[ \t]*$/;

/** Reads a markdown file into its top-level blocks, in document order. */
export type BlockReader = (source: string) => Iterable<Block>;

/** What `parseOutline` reads: the block tree (block-tree.ts), in pieces. */
export function outlineBlocks(source: string): Generator<Block> {
  return blocksInPieces(source, PIECE_CHARS, blockTree);
}

/**
 * The same blocks as `parseBlocks` of the whole file (see the module comment for the one inline
 * difference with remark's parse, `wholeFileBlocks` in remark-blocks.ts, which the tests use),
 * piece by piece: a reader that does not keep them lets each piece's tree go young.
 */
export function blocksInPieces<B extends Block>(
  source: string,
  pieceChars: number,
  parseBlocks: (text: string) => readonly B[],
): Generator<B>;
export function* blocksInPieces(
  source: string,
  pieceChars: number,
  parseBlocks: (text: string) => readonly Block[],
): Generator<Block> {
  const lines = lineSpans(source);
  // micromark drops a byte order mark before counting offsets.
  const bom = source.startsWith('\uFEFF') ? 1 : 0;
  let first = 0; // line index where the current piece starts
  let minChars = pieceChars;
  let candidate = firstCandidate(lines, source);
  /** A list cut before its last item: continued by the next piece's first block (`joinList`). */
  let open: Block | null = null;
  for (;;) {
    const start = lines[first]?.start ?? 0;
    const base: Point = { line: first, column: 0, offset: first === 0 ? 0 : start - bom };
    while (candidate < lines.length && (lines[candidate]?.start ?? 0) - start < minChars)
      candidate = nextCandidate(lines, source, candidate);
    const cut = lines[candidate];
    if (cut === undefined) {
      const blocks = parseBlocks(source.slice(start)).map((b) => shifted(b, base));
      yield* joinList(open, blocks);
      return;
    }
    const blocks = parseBlocks(source.slice(start, cut.textEnd)).map((b) => shifted(b, base));
    const last = blocks.at(-1);
    const line = candidate + 1; // the candidate's line as positions count (1-based)
    const lastItem = last?.type === 'list' ? last.children?.at(-1) : undefined;
    if (last?.type === 'heading' && last.position?.start.line === line) {
      // The heading itself opens the next piece.
      yield* joinList(open, blocks.slice(0, -1));
      open = null;
      first = candidate;
      minChars = pieceChars;
    } else if (lastItem?.position?.start.line === line && lastItem.position.start.column === 1) {
      // A top-level list item: it opens the next piece, and its list goes on there.
      const joined: Block[] = [...joinList(open, blocks)];
      const list = joined.pop() as Block;
      const items: readonly Block[] = list.children?.slice(0, -1) ?? [];
      yield* joined;
      open = items.length === 0 ? null : { ...list, children: items };
      first = candidate;
      minChars = pieceChars;
    } else {
      // Not a top-level heading or list item here (code, HTML, a lazy line…): try further on.
      minChars = 2 * (cut.start - start);
    }
    candidate = nextCandidate(lines, source, candidate);
  }
}

/**
 * A piece's blocks, the first joined to the list the previous piece was cut in (`open`): that
 * piece began at a top-level item of it, so its first block is the rest of that list. The joined
 * list is the whole-file parse's: its items, its start, and loose when either part is.
 */
function* joinList(open: Block | null, blocks: readonly Block[]): Generator<Block> {
  const head = blocks[0];
  if (open === null) {
    yield* blocks;
    return;
  }
  if (head?.type !== 'list' || head.position === undefined || open.position === undefined) {
    // Not expected (the piece starts at a list item); keep both as parsed rather than guess.
    yield open;
    yield* blocks;
    return;
  }
  const joined: Block & { spread?: boolean } = {
    ...open,
    position: { start: open.position.start, end: head.position.end },
    children: [...(open.children ?? []), ...(head.children ?? [])],
  };
  const spread = (b: Block): boolean | undefined => (b as { spread?: boolean }).spread;
  if (spread(open) !== undefined) joined.spread = spread(open) === true || spread(head) === true;
  yield joined;
  yield* blocks.slice(1);
}

interface LineSpan {
  start: number;
  /** End of the line's text, before its line ending. */
  textEnd: number;
}

/** Line starts as micromark counts lines (CRLF, LF and a lone CR each end a line). */
function lineSpans(source: string): LineSpan[] {
  const spans: LineSpan[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    spans.push({ start, textEnd: m.index });
    start = m.index + m[0].length;
  }
  spans.push({ start, textEnd: source.length });
  return spans;
}

function lineText(source: string, line: LineSpan): string {
  return source.slice(line.start, line.textEnd);
}

/**
 * The first line a cut may be made at. A file that opens with a front matter fence is cut only
 * after the closing fence; without one, not at all: micromark's failed attempt to read front matter
 * changes how later lines parse (seen: a list item after it became a paragraph).
 */
function firstCandidate(lines: LineSpan[], source: string): number {
  const opening = lines[0];
  if (opening === undefined || !FRONT_MATTER_OPEN.test(lineText(source, opening)))
    return nextCandidate(lines, source, 0);
  const close = lines.findIndex((l, i) => i > 0 && FRONT_MATTER_CLOSE.test(lineText(source, l)));
  return close === -1 ? lines.length : nextCandidate(lines, source, close);
}

function nextCandidate(lines: LineSpan[], source: string, after: number): number {
  let i = after + 1;
  while (i < lines.length && !CUT_LINE.test(lineText(source, lines[i] as LineSpan))) i += 1;
  return i;
}

function shiftPoint(point: Point, base: Point): Point {
  // Pieces start at a line start, so columns need no shift.
  const out: Point = { line: point.line + base.line, column: point.column };
  if (point.offset !== undefined) out.offset = point.offset + (base.offset ?? 0);
  return out;
}

function shiftPosition(position: Position, base: Point): Position {
  return { start: shiftPoint(position.start, base), end: shiftPoint(position.end, base) };
}

/** `node` (fresh from a piece's parse) with every position moved by `base`; new point objects, as mdast may share them. */
function shifted<T extends Block>(node: T, base: Point): T {
  if (base.line === 0 && base.offset === 0) return node;
  const visit = (n: Block): void => {
    if (n.position) n.position = shiftPosition(n.position, base);
    if (n.children) for (const c of n.children) visit(c);
  };
  visit(node);
  return node;
}
