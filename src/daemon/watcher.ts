import { relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { RawEventKind } from './coalesce.js';
import { isIgnoredPath, isMarkdownPath } from './ignore.js';

export interface FileWatcher {
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Absolute notes root. */
  root: string;
  /** Absolute state dir (ignored with everything in it). */
  stateDir: string;
  onEvent: (kind: RawEventKind, relPath: string) => void;
  onError: (error: Error) => void;
}

/**
 * chokidar 4 on the notes root, reporting markdown files only, with paths relative to the root
 * ('/' separators). Resolves once the initial scan is done (existing files are not reported:
 * the daemon's start-up pass covers them). `atomic` folds an editor's unlink+add of one path
 * within 100 ms into a `change`; the coalescer catches slower ones. Debouncing is not done here
 * (see `EventCoalescer`): chokidar's `awaitWriteFinish` polls file sizes, which we do not need
 * because every settled event re-reads the file and compares its hash.
 */
export async function watchNotes(o: WatchOptions): Promise<FileWatcher> {
  const stateRel = relative(o.root, o.stateDir).split(sep).join('/');
  const toRel = (abs: string) => relative(o.root, abs).split(sep).join('/');
  const watcher = watch(o.root, {
    ignoreInitial: true,
    atomic: true,
    persistent: true,
    // A link inside the root may lead anywhere; its target's files are not notes of this root.
    followSymlinks: false,
    // Directories must not be filtered by extension, only by name; files by both (below).
    ignored: (abs: string) => {
      const rel = toRel(abs);
      return rel.startsWith('..') ? false : isIgnoredPath(rel, stateRel.startsWith('..') ? '' : stateRel);
    },
  });
  const forward = (kind: RawEventKind) => (abs: string) => {
    const rel = toRel(abs);
    if (isMarkdownPath(rel)) o.onEvent(kind, rel);
  };
  watcher.on('add', forward('add'));
  watcher.on('change', forward('change'));
  watcher.on('unlink', forward('unlink'));
  watcher.on('error', (e) => o.onError(e instanceof Error ? e : new Error(String(e))));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { close: () => watcher.close() };
}
