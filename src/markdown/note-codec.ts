/**
 * Taskade notes are one line on write (`pattern ^[^\r\n]*$`), markdown notes have paragraphs.
 * The encoding is a bijection on strings:
 * - a line break becomes `<br>`;
 * - a literal `<br` + k backslashes + `>` (k ≥ 0) becomes `<br` + (k+1) backslashes + `>`.
 * So `<br>` in Taskade always means a line break, and `<br\>` is the literal text `<br>`.
 * A note read from Taskade that holds real line breaks (typed in the app) decodes to itself.
 */
const BREAK = /<br(\\*)>/g;

export function encodeNote(note: string): string {
  return note.replace(/\r\n?/g, '\n').replace(BREAK, '<br$1\\>').replace(/\n/g, '<br>');
}

export function decodeNote(value: string): string {
  return value.replace(BREAK, (_all, slashes: string) => (slashes.length === 0 ? '\n' : `<br${slashes.slice(1)}>`));
}
