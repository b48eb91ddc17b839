/**
 * Which paths under the notes root the watcher ignores. Paths are relative to the root with '/'
 * separators. Two layers: folders that never hold notes (the state dir, VCS and tool folders),
 * and the temporary files editors write beside a note while saving it.
 */
import { isIgnoredFolder } from '../config/ignored.js';

/**
 * Editor scratch files, by base name. Each one is written and removed around a save, and none is
 * ever a note:
 * - Emacs lock files `.#note.md` and backups `note.md~`;
 * - Vim swap files `.note.md.swp`/`.swo`/`.swx` and its write-permission probe `4913`;
 * - generic temp files `*.tmp` (many write-temp-then-rename editors, and our own atomic writes);
 * - LibreOffice locks `.~lock.note.md#`, Chromium/VS Code "safe save" swaps `*.crswap`.
 */
const TEMP_FILE_PATTERNS: readonly RegExp[] = [
  /^\.#/,
  /~$/,
  /^\..*\.sw[a-p]$/,
  /^4913$/,
  /\.tmp$/i,
  /^\.~lock\./,
  /\.crswap$/,
];

export function isEditorTempFile(baseName: string): boolean {
  return TEMP_FILE_PATTERNS.some((re) => re.test(baseName));
}

/**
 * True when the watcher must not report this path. `stateDir` is the state folder relative to
 * the root (e.g. `.taskade-sync`); it is ignored with everything in it.
 */
export function isIgnoredPath(relPath: string, stateDir: string): boolean {
  const path = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  if (path === '' || path === '.') return false;
  const state = stateDir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (state !== '' && (path === state || path.startsWith(state + '/'))) return true;
  const segments = path.split('/');
  if (segments.some(isIgnoredFolder)) return true;
  return isEditorTempFile(segments[segments.length - 1] ?? '');
}

/** Only markdown files are notes; everything else in the root is left alone. */
export function isMarkdownPath(relPath: string): boolean {
  return /\.(md|markdown)$/i.test(relPath);
}
