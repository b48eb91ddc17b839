import { normaliseNote } from '../model/task.js';
import { stripColumns } from './lines.js';

/**
 * A note is the item's continuation lines, dedented by the item's content column. A note line
 * that looks like a list item (`- x`, `1. x`) would become a nested task, so the renderer writes
 * it with a backslash (`\- x`, which markdown shows the same); a line that already starts with
 * backslashes there gets one more, and the parser removes exactly one (a bijection).
 */
const LIST_LIKE = /^( {0,3})(\\*)([-*+]|\d{1,9}[.)])([ \t]|$)/;

export function noteFromLines(lines: readonly string[], contentColumn: number): string | null {
  const dedented = lines.map((line) => {
    const text = stripColumns(line, contentColumn);
    const m = LIST_LIKE.exec(text);
    return m && (m[2] ?? '').length > 0 ? (m[1] ?? '') + text.slice((m[1] ?? '').length + 1) : text;
  });
  return normaliseNote(dedented.join('\n'));
}

/** The note as file lines (without line endings), each indented by `indent`. */
export function noteToLines(note: string, indent: string): string[] {
  return note.split('\n').map((line) => {
    const m = LIST_LIKE.exec(line);
    const text = m ? (m[1] ?? '') + '\\' + line.slice((m[1] ?? '').length) : line;
    return text.length === 0 ? '' : indent + text;
  });
}

/**
 * A note line that starts an HTML block (`<div>`, `<br>`) swallows the lines after it up to the next
 * blank line, nested items included: such a note is followed by a blank line before the children.
 */
export function noteNeedsBlankBeforeChildren(note: string | null): boolean {
  return note !== null && /^ {0,3}</m.test(note);
}
