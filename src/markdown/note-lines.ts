import { normaliseNote } from '../model/task.js';
import { quotedBlank, stripColumns } from './lines.js';
import { blockTree } from './block-tree.js';

/**
 * A note is the item's continuation lines, dedented by the item's content column. Two kinds of
 * note line are written with a backslash in front (which markdown shows the same):
 * - a line that looks like a list item (`- x`, `1. x`) would become a nested task: always escaped
 *   (`\- x`, `1\. x`);
 * - a line that opens a code fence or an HTML block (`` ``` ``, `~~~`, `<!--`, `<div>`) that runs
 *   to the end of the note would swallow the item's children: escaped when it would.
 * A line that already starts with backslashes there gets one more, and the parser removes exactly
 * one, so the parser gets back the note whichever lines were escaped.
 */
const LIST_LIKE = /^( {0,3})(\\*)([-*+]|\d{1,9}[.)])([ \t]|$)/;
/**
 * An ordered-list-like line (`4. Bake`) is escaped the CommonMark way, before its `.` or `)`
 * (`4\. Bake`, which shows as written; `\4. Bake` would show its backslash). The same rule: one
 * more backslash there on writing, exactly one fewer on reading. A `\4.` an older version wrote
 * is still read (LIST_LIKE).
 */
const ORDERED_LIKE = /^( {0,3})(\d{1,9})(\\*)([.)])(?:[ \t]|$)/;
/**
 * A note line ending in what reads as a block id (`… ^tk-abc`): the parser takes the id at the end
 * of an item's paragraph, so such a note line is written `… \^tk-abc` (one more backslash when it
 * has some), and read with exactly one fewer.
 */
const ID_LIKE = /(^|[ \t])(\\*)(\^tk-[A-Za-z0-9]+[ \t]*)$/;
const BLOCK_OPENER = /^( {0,3})(\\*)(`{3}|~{3}|<)/;
/**
 * A line that may open a block a blank line does not end: a code fence, or an HTML block of
 * CommonMark's kinds 1–5 (`<script`, `<pre`, `<style`, `<textarea`, `<!--`, `<?`, `<!X`, `<![CDATA[`).
 * A superset is safe: it only asks the parser once more.
 */
const RUNS_PAST_BLANK = /^ {0,3}(?:`{3}|~{3}|<(?:script|pre|style|textarea|!|\?))/i;

export function noteFromLines(lines: readonly string[], contentColumn: number): string | null {
  const dedented = lines.map((line) => {
    let text = stripColumns(line, contentColumn);
    const id = ID_LIKE.exec(text);
    if (id && (id[2] ?? '').length > 0)
      text = text.slice(0, id.index + (id[1] ?? '').length) + text.slice(id.index + (id[1] ?? '').length + 1);
    const o = ORDERED_LIKE.exec(text);
    if (o && (o[3] ?? '').length > 0) {
      const at = (o[1] ?? '').length + (o[2] ?? '').length;
      return text.slice(0, at) + text.slice(at + 1);
    }
    const m = LIST_LIKE.exec(text) ?? BLOCK_OPENER.exec(text);
    return m && (m[2] ?? '').length > 0 ? (m[1] ?? '') + text.slice((m[1] ?? '').length + 1) : text;
  });
  return normaliseNote(dedented.join('\n'));
}

/** What the file holds after a note: its item's children (if any), maybe after a blank line. */
export interface AfterNote {
  children: boolean;
  blankLine: boolean;
}

/**
 * The note as file lines (without line endings), each indented by `indent`, written so that the
 * item's children, which come after it, stay its children.
 */
export function noteToLines(note: string, indent: string, after: AfterNote): string[] {
  const lines = note.split('\n');
  const escaped = new Set<number>();
  const written = (): string[] => {
    const out = lines.map((raw, i) => {
      const id = ID_LIKE.exec(raw);
      const at = id === null ? -1 : id.index + (id[1] ?? '').length;
      const line = at < 0 ? raw : raw.slice(0, at) + '\\' + raw.slice(at);
      const ordered = ORDERED_LIKE.exec(line);
      if (ordered) {
        const at = (ordered[1] ?? '').length + (ordered[2] ?? '').length;
        return line.slice(0, at) + '\\' + line.slice(at);
      }
      const listLike = LIST_LIKE.exec(line);
      const opener = BLOCK_OPENER.exec(line);
      const m = listLike ?? (opener && ((opener[2] ?? '').length > 0 || escaped.has(i)) ? opener : null);
      return m ? (m[1] ?? '') + '\\' + line.slice((m[1] ?? '').length) : line;
    });
    // An HTML block of the kind a blank line ends (`<div>`, `<br>`) is ended by one before the children.
    if (after.children && !after.blankLine && /^ {0,3}</m.test(note)) out.push('');
    return out;
  };
  let out = written();
  // Only a fence or an HTML block that a blank line does not end can still run on: escape the line
  // that opens it, then look again only if a later line could open another one.
  const mayRunOn = (from: number): boolean => lines.slice(from).some((line) => RUNS_PAST_BLANK.test(line));
  if (after.children && mayRunOn(0)) {
    for (let opener = runOnLine(after.blankLine ? [...out, ''] : out); opener !== null;) {
      if (escaped.has(opener) || !BLOCK_OPENER.test(lines[opener] ?? '')) break; // not a block an escape ends
      escaped.add(opener);
      out = written();
      opener = mayRunOn(opener + 1) ? runOnLine(after.blankLine ? [...out, ''] : out) : null;
    }
  }
  // A blank note line inside a block quote keeps the quote's markers (`>`), or it would end the quote.
  const blank = quotedBlank(indent);
  return out.map((text) => (text.length === 0 ? blank : indent + text));
}

/** A first line's content or a note line that starts a code fence or an HTML block. */
export function opensBlock(text: string): boolean {
  return /^ {0,3}(?:`{3}|~{3}|<)/.test(text);
}

/**
 * Whether a note as the file holds it (`lines`, indented to `contentColumn`) ends in a block that
 * would take in a child item written after it (after a blank line with `blankLine`).
 */
export function keptNoteRunsOn(lines: readonly string[], contentColumn: number, blankLine: boolean): boolean {
  const dedented = lines.map((line) => stripColumns(line, contentColumn));
  if (!dedented.some(opensBlock)) return false;
  return runOnLine(blankLine ? [...dedented, ''] : dedented) !== null;
}

/**
 * The index of the note line (as written, unindented) whose block would run into a child item
 * written after the note, or `null` when a child there is read as a child. Asks the markdown
 * parser itself: where a fence or an HTML block ends is its decision (closing fence length, the
 * five HTML closers…), so guessing it here could disagree.
 */
function runOnLine(noteLines: readonly string[]): number | null {
  const doc = ['- p', ...noteLines.map((l) => (l.length === 0 ? '' : '  ' + l)), '  - x'];
  const childLine = doc.length; // 1-based line of the probe child
  // The block tree, not remark: same block types and positions (test/markdown/block-tree.test.ts),
  // without loading remark's serialisers at run time.
  const list = blockTree(doc.join('\n') + '\n')[0];
  const item = list?.type === 'list' ? list.children?.[0] : undefined;
  if (item === undefined) return null;
  const children = item.children ?? [];
  if (children.some((c) => c.type === 'list' && c.position?.start.line === childLine)) return null;
  const swallower = children.findLast((c) => (c.position?.start.line ?? childLine) < childLine);
  const line = (swallower?.position?.start.line ?? 1) - 2; // doc line 2 is note line 0
  return line >= 0 ? line : null;
}
