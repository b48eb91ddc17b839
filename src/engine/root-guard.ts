import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { SyncError } from '../model/errors.js';

/**
 * The real path of `rel` (relative to `root`), after every symbolic link on the way is followed,
 * or a USAGE error naming the path when it leads out of the notes root. The path itself need not
 * exist yet (`pull` checks where it is about to write): its deepest existing ancestor is resolved
 * and the rest appended. The tool only ever touches files inside the root the user chose, so a
 * link to `~/.ssh` or `/etc` inside the notes folder is never read, written or replaced.
 */
export function realPathInsideRoot(root: string, rel: string): string {
  const realRoot = realpathSync(resolve(root));
  const real = realPathOfMaybeMissing(resolve(root, rel));
  const inside = relative(realRoot, real);
  if (inside.startsWith('..') || resolve(realRoot, inside) !== real) {
    throw new SyncError(
      'USAGE',
      `refusing ${rel}: through a symbolic link it leads to ${real}, outside the notes root ${realRoot}`,
      { file: rel, real, root: realRoot },
    );
  }
  return real;
}

function realPathOfMaybeMissing(absolute: string): string {
  const missing: string[] = [];
  let at = absolute;
  for (;;) {
    try {
      return join(realpathSync(at), ...missing);
    } catch (error) {
      const parent = dirname(at);
      // ENOENT: not there yet, resolve the parent; a dangling link or a loop is resolved no further.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw error;
      missing.unshift(basename(at));
      at = parent;
    }
  }
}
