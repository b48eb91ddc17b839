/**
 * Block ids that link a markdown item to its Taskade task (DESIGN §2, Identity).
 *
 * `^tk-<short>`: `compact(id)` drops every character outside [A-Za-z0-9] (so the id is a valid
 * Obsidian block id, which allows letters, digits and dashes), and `short` is the shortest prefix
 * of the compact form, at least 8 characters long, that no other task of the project shares.
 * A short id therefore resolves by prefix against the project's task list without the journal.
 */
export const BLOCK_ID_PREFIX = '^tk-';
export const MIN_SHORT_LENGTH = 8;

export function compactId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '');
}

export function shortId(fullId: string, projectIds: Iterable<string>): string {
  const mine = compactId(fullId);
  const others: string[] = [];
  for (const id of projectIds) {
    const c = compactId(id);
    if (c !== mine) others.push(c);
  }
  for (let len = Math.min(MIN_SHORT_LENGTH, mine.length); len <= mine.length; len += 1) {
    const prefix = mine.slice(0, len);
    if (!others.some((o) => o.startsWith(prefix))) return prefix;
  }
  // Another id extends this one (or two ids compact alike): only the whole form can name it,
  // and `resolveShortId` prefers an exact match.
  return mine;
}

/** The project task id named by `short`: an exact compact match first, else a unique prefix match. */
export function resolveShortId(short: string, projectIds: Iterable<string>): string | null {
  if (short.length === 0) return null;
  const exact: string[] = [];
  const prefixed: string[] = [];
  for (const id of projectIds) {
    const c = compactId(id);
    if (c === short) exact.push(id);
    else if (c.startsWith(short)) prefixed.push(id);
  }
  if (exact.length === 1) return exact[0] ?? null;
  if (exact.length === 0 && prefixed.length === 1) return prefixed[0] ?? null;
  return null;
}
