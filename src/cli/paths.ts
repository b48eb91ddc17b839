import { relative, resolve, sep } from 'node:path';
import { SyncError } from '../model/errors.js';

/** A path the user typed (relative to the current folder) as a root-relative `/` path, or a USAGE error. */
export function relativeToRoot(root: string, cwd: string, file: string): string {
  const absolute = resolve(cwd, file);
  const rel = relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || resolve(root, rel) !== absolute) {
    throw new SyncError('USAGE', `${file} is outside the notes root ${root}`, { file, root });
  }
  return rel.split(sep).join('/');
}
