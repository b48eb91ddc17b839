import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hashContent } from '../journal/index.js';

/**
 * Writes `content` to `path` atomically — a temp file in the same folder, then rename — and only
 * if the file still holds what the plan was made against (`expectedHash`). Returns false, writing
 * nothing, when the file changed meanwhile (the caller re-plans). Editors and the watcher see
 * one complete replacement, never a half-written file.
 *
 * A symlinked note is written through to its target, so the link stays a link (renaming onto the
 * link itself would replace it by a regular file and leave the target stale). Callers read the
 * note first through `readNote`, which refuses a link whose target leaves the notes root.
 */
export function writeFileIfUnchanged(note: string, content: string, expectedHash: string): boolean {
  let path: string;
  let current: string;
  let mode: number;
  try {
    path = realpathSync(note);
    current = readFileSync(path, 'utf8');
    mode = statSync(path).mode & 0o7777;
  } catch {
    return false;
  }
  if (hashContent(current) !== expectedHash) return false;
  // `*.tmp` so watchers (ours included) ignore it.
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.taskade-sync.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      // The replacement keeps the note's permissions (a private 0600 note stays private).
      fchmodSync(fd, mode);
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    // Cleaning up must not hide why the write failed (e.g. a temp name too long to even lstat).
    try {
      rmSync(temp, { force: true });
    } catch {
      /* best effort: the write's error is the one to report */
    }
    throw error;
  }
  return true;
}
