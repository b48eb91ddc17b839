/**
 * The file as lines, each with its own line ending, so untouched lines can be written back
 * byte for byte (a file may mix CRLF and LF; micromark counts a lone CR as a line ending too).
 */
export interface SourceLine {
  text: string;
  /** `'\n'`, `'\r\n'`, `'\r'`, or `''` for a last line without a line ending. */
  eol: string;
}

export function splitLines(source: string): SourceLine[] {
  const lines: SourceLine[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    lines.push({ text: source.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  // A file ending with a line ending has no extra empty line: micromark agrees.
  if (start < source.length || lines.length === 0) lines.push({ text: source.slice(start), eol: '' });
  return lines;
}

export function joinLines(lines: readonly SourceLine[]): string {
  let out = '';
  for (const line of lines) out += line.text + line.eol;
  return out;
}

/** The line ending most lines use; LF for a file without any. */
export function dominantEol(lines: readonly SourceLine[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) if (l.eol !== '') counts.set(l.eol, (counts.get(l.eol) ?? 0) + 1);
  let best = '\n';
  let bestCount = 0;
  for (const [eol, n] of counts) if (n > bestCount) [best, bestCount] = [eol, n];
  return best;
}

export function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

/** Width in columns of leading white space, with tabs advancing to the next multiple of 4 (CommonMark). */
export function indentWidth(whitespace: string): number {
  let col = 0;
  for (const ch of whitespace) col = ch === '\t' ? col + 4 - (col % 4) : col + 1;
  return col;
}

/**
 * Removes up to `columns` columns of leading white space (a tab that straddles the limit is
 * replaced by the spaces left over, as CommonMark does for partial tabs).
 */
export function stripColumns(text: string, columns: number): string {
  let col = 0;
  let i = 0;
  while (i < text.length && col < columns) {
    const ch = text[i];
    if (ch === ' ') col += 1;
    else if (ch === '\t') {
      const next = col + 4 - (col % 4);
      if (next > columns) return ' '.repeat(next - columns) + text.slice(i + 1);
      col = next;
    } else break;
    i += 1;
  }
  return text.slice(i);
}

/** A block quote's markers at the start of a line (`> `, `> > `, ` >`), each with its one optional space. */
const QUOTE_MARKER = /^[ \t]{0,3}>[ \t]?/;

/** The block quote markers that start `text` (at most `depth` of them; all without a limit). */
export function quotePrefix(text: string, depth = Infinity): string {
  let rest = text;
  for (let i = 0; i < depth; i += 1) {
    const m = QUOTE_MARKER.exec(rest);
    if (m === null) break;
    rest = rest.slice(m[0].length);
  }
  return text.slice(0, text.length - rest.length);
}

/** How many block quote markers `prefix` holds. */
export function quoteDepth(prefix: string): number {
  return (prefix.match(/>/g) ?? []).length;
}

/**
 * A line that reads as blank inside the block quote whose markers are `prefix`: the markers
 * without the trailing space (`>`, `> >`), or nothing outside a quote.
 */
export function quotedBlank(prefix: string): string {
  return quotePrefix(prefix).replace(/[ \t]+$/, '');
}
