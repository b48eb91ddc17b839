/**
 * Folders that never hold notes — version control, Obsidian's settings and trash, packages —
 * skipped wherever they appear: by discovery's walk, by the watcher, and in the default `exclude`.
 * The one list; the state dir is skipped beside it by path.
 */
export const IGNORED_FOLDERS: readonly string[] = ['.git', '.hg', '.svn', '.obsidian', '.trash', 'node_modules'];

const IGNORED = new Set(IGNORED_FOLDERS);

export function isIgnoredFolder(name: string): boolean {
  return IGNORED.has(name);
}

/** The default `exclude` globs: each ignored folder with everything in it. */
export const DEFAULT_EXCLUDE: readonly string[] = IGNORED_FOLDERS.map((f) => `${f}/**`);
