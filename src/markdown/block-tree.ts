import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { parse, preprocess } from 'micromark';
import { subtokenize } from 'micromark-util-subtokenize';
import type { Event, Token } from 'micromark-util-types';

/**
 * A markdown block as the outline parser reads it: an mdast node's type and position, a heading's
 * depth, front matter's value, a container's children. remark's mdast nodes have this shape too
 * (the tests read a file both ways and compare).
 */
export interface Block {
  type: string;
  position?: { start: BlockPoint; end: BlockPoint } | undefined;
  /** A heading's level. */
  depth?: number;
  /** Front matter's YAML, without its fences. */
  value?: string;
  /** A container's blocks (root, list, list item, block quote, footnote definition). */
  children?: readonly Block[];
}

export interface BlockPoint {
  line: number;
  column: number;
  offset?: number | undefined;
}

/**
 * The top-level blocks of `source`, read from micromark's events as mdast-util-from-markdown reads
 * them, block structure only. Why not remark: mdast-util-from-markdown prepares each list by
 * walking every event inside it, nested lists included, so a list nested d deep costs O(d³)
 * (each of the d lists walks the O(d²) events below it: 400 levels 5 s, 800 levels 80 s). Here a
 * list's walk steps over each nested list and block quote by its matching exit, so every event is
 * walked once for the list it belongs to; the tree is built without inline content (the outline
 * parser reads text from the source lines). Positions, list items' extents and heading depths are
 * mdast's exactly (test/markdown/block-tree.test.ts holds them to remark's).
 */
export function blockTree(source: string, stats?: WalkStats): Block[] {
  const events = blockEvents(
    parse({ extensions })
      .document()
      .write(preprocess()(source, undefined, true)),
  );
  // micromark drops a byte order mark before counting offsets.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const builder = new TreeBuilder(events, text);
  const blocks = builder.build();
  if (stats) {
    stats.events = events.length;
    stats.walked = builder.walked;
  }
  return blocks;
}

/**
 * micromark's `postprocess` without the inline content: the flow and content chunks are expanded
 * (paragraphs, definitions, what lies in containers), the text and string chunks inside leaves
 * (a paragraph's or heading's text, a code fence's info) are not. Block structure is decided
 * before inline content in CommonMark, and the tree builder steps over everything inside a leaf,
 * so the blocks and their positions are the same; a third fewer events, and none of the inline
 * tokenizers' garbage (about a fifth of a parse's: autolink literals, attention, escapes…).
 */
function blockEvents(events: Event[]): Event[] {
  for (;;) {
    for (const [kind, token] of events)
      if (kind === 'enter' && (token.contentType === 'text' || token.contentType === 'string'))
        delete token.contentType;
    if (subtokenize(events)) return events;
  }
}

/** For tests: micromark's event count, and how many events the list preparation looked at. */
export interface WalkStats {
  events: number;
  walked: number;
}

const extensions = [gfm(), frontmatter(['yaml'])];

/** Leaf blocks: their mdast type. Everything inside them (inline content) is skipped. */
const LEAVES: Record<string, string> = {
  atxHeading: 'heading',
  setextHeading: 'heading',
  paragraph: 'paragraph',
  codeFenced: 'code',
  codeIndented: 'code',
  htmlFlow: 'html',
  thematicBreak: 'thematicBreak',
  definition: 'definition',
  table: 'table',
  yaml: 'yaml',
};

/** Containers: their mdast type. */
const CONTAINERS: Record<string, string> = {
  blockQuote: 'blockquote',
  listOrdered: 'list',
  listUnordered: 'list',
  gfmFootnoteDefinition: 'footnoteDefinition',
};

/** What the backward walk from an item's end passes over (mdast-util-from-markdown's list). */
const TRAILING = new Set([
  'linePrefix',
  'blockQuotePrefix',
  'blockQuotePrefixWhitespace',
  'blockQuoteMarker',
  'listItemIndent',
]);

interface ItemEdge {
  enter: boolean;
  point: BlockPoint;
}

class TreeBuilder {
  /** Index of each enter event's exit. */
  private readonly exitOf: Int32Array;
  /** List item starts and ends to take before the event at an index, in order. */
  private readonly edges = new Map<number, ItemEdge[]>();
  /** Events looked at while preparing lists (see WalkStats). */
  walked = 0;

  constructor(
    private readonly events: Event[],
    private readonly text: string,
  ) {
    this.exitOf = new Int32Array(events.length).fill(-1);
    const open: number[] = [];
    events.forEach((event, i) => {
      if (event[0] === 'enter') open.push(i);
      else {
        const start = open.pop();
        if (start !== undefined) this.exitOf[start] = i;
      }
    });
  }

  build(): Block[] {
    const root: Block & { children: Block[] } = { type: 'root', children: [] };
    const stack: Array<Block & { children: Block[] }> = [root];
    const events = this.events;
    for (let i = 0; i < events.length; i += 1) {
      for (const edge of this.edges.get(i) ?? []) {
        if (edge.enter) {
          const item: Block & { children: Block[] } = {
            type: 'listItem',
            position: { start: edge.point, end: edge.point },
            children: [],
          };
          (stack.at(-1) ?? root).children.push(item);
          stack.push(item);
        } else {
          const item = stack.pop();
          if (item?.position) item.position = { start: item.position.start, end: edge.point };
        }
      }
      const [kind, token] = events[i] as Event;
      const leaf = LEAVES[token.type];
      const container = CONTAINERS[token.type];
      if (kind === 'enter' && leaf !== undefined) {
        const end = this.exitOf[i] ?? -1;
        (stack.at(-1) ?? root).children.push(this.leaf(leaf, token, i, end));
        i = end - 1; // its exit is next: skip the inline content
        continue;
      }
      if (container === undefined) continue;
      if (kind === 'enter') {
        const node: Block & { children: Block[] } = {
          type: container,
          position: { start: point(token.start), end: point(token.end) },
          children: [],
        };
        (stack.at(-1) ?? root).children.push(node);
        stack.push(node);
        if (container === 'list') this.prepareList(i);
      } else if (kind === 'exit') {
        const node = stack.pop();
        if (node?.position) node.position = { start: node.position.start, end: point(token.end) };
      }
    }
    return root.children;
  }

  private leaf(type: string, token: Token, enter: number, exit: number): Block {
    const node: Block = { type, position: { start: point(token.start), end: point(token.end) } };
    if (token.type === 'atxHeading') {
      // mdast-util-from-markdown: the length of the first `#` sequence.
      for (let j = enter + 1; j < exit; j += 1) {
        const t = (this.events[j] as Event)[1];
        if (t.type === 'atxHeadingSequence') {
          node.depth = t.end.offset - t.start.offset;
          break;
        }
      }
    } else if (token.type === 'setextHeading') {
      for (let j = enter + 1; j < exit; j += 1) {
        const t = (this.events[j] as Event)[1];
        if (t.type === 'setextHeadingLineSequence') {
          node.depth = this.text.charAt(t.start.offset) === '=' ? 1 : 2;
          break;
        }
      }
    } else if ((token.type as string) === 'yaml') {
      // mdast-util-frontmatter: the value chunks and line endings, less one line ending at each end.
      let value = '';
      for (let j = enter + 1; j < exit; j += 1) {
        const [k, t] = this.events[j] as Event;
        if (k === 'exit' && ((t.type as string) === 'yamlValue' || t.type === 'lineEnding'))
          value += this.text.slice(t.start.offset, t.end.offset);
      }
      node.value = value.replace(/^(\r?\n|\r)|(\r?\n|\r)$/g, '');
    }
    return node;
  }

  /**
   * Where the items of the list entered at `start` begin and end: mdast-util-from-markdown's
   * `prepareList`, without the spread (not read here), stepping over nested containers.
   */
  private prepareList(start: number): void {
    const events = this.events;
    const end = this.exitOf[start] ?? events.length - 1;
    let open: BlockPoint | null = null;
    for (let index = start + 1; index <= end; index += 1) {
      this.walked += 1;
      const [kind, token] = events[index] as Event;
      if (
        index < end &&
        kind === 'enter' &&
        (token.type === 'listOrdered' || token.type === 'listUnordered' || token.type === 'blockQuote')
      ) {
        index = this.exitOf[index] ?? index; // a nested container: its items are its own list's
        continue;
      }
      const itemStart = kind === 'enter' && token.type === 'listItemPrefix';
      if (!itemStart && index !== end) continue;
      if (open !== null) {
        // The item ends before the line endings (and prefixes) that trail it.
        let lineIndex: number | undefined;
        for (let tail = index - 1; tail >= 0; tail -= 1) {
          this.walked += 1;
          const [k, t] = events[tail] as Event;
          if (t.type === 'lineEnding' || t.type === 'lineEndingBlank') {
            if (k === 'exit') continue;
            lineIndex = tail;
          } else if (!TRAILING.has(t.type)) break;
        }
        const at = lineIndex ?? index;
        this.edge(at, {
          enter: false,
          point: point(lineIndex !== undefined ? (events[lineIndex] as Event)[1].start : token.end),
        });
      }
      if (itemStart) {
        open = point(token.start);
        this.edge(index, { enter: true, point: open });
      }
    }
  }

  private edge(at: number, edge: ItemEdge): void {
    const list = this.edges.get(at);
    if (list === undefined) this.edges.set(at, [edge]);
    else list.push(edge);
  }
}

function point(p: Token['start']): BlockPoint {
  return { line: p.line, column: p.column, offset: p.offset };
}
