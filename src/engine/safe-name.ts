import { relative, resolve, sep } from 'node:path';
import { SyncError } from '../model/errors.js';

/** Windows refuses these as file names, with or without an extension, in any case. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Bytes kept for the name itself; leaves room for " (id)" and ".md" under the 255-byte limit. */
const MAX_BYTES = 120;

/**
 * A project/folder/workspace name made safe as one path segment on every OS: no separators or
 * characters Windows refuses, no control characters, no leading dots (no `..`, no hidden files),
 * no trailing dots or spaces, not a reserved device name, at most 120 UTF-8 bytes (cut on a code
 * point), NFC so macOS and Linux agree. Never empty.
 */
export function safeSegment(name: string): string {
  let s = name.normalize('NFC').replace(/\s+/g, ' ');
  // Path segments made only of dots (`..`) say nothing: drop them; the others join with '-'.
  s = s
    .split(/[/\\]/)
    .filter((part) => !/^[.\s]*$/.test(part))
    .join('-');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
  s = s.replace(/[\u0000-\u001f\u007f:*?"<>|]/g, '-').trim();
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  s = cutToBytes(s, MAX_BYTES).replace(/[.\s]+$/, '');
  if (s === '') s = 'untitled';
  if (RESERVED.test(s)) s = `${s}_`;
  return s;
}

function cutToBytes(s: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/**
 * Joins safe segments under `root` and proves the result stays inside it (the segments are
 * already safe; this is the belt to their braces). Returns the path relative to the root with `/`.
 */
export function pathInsideRoot(root: string, segments: string[]): string {
  const absolute = resolve(root, ...segments);
  const rel = relative(resolve(root), absolute);
  if (rel === '' || rel.startsWith('..') || resolve(root, rel) !== absolute) {
    throw new SyncError('INTERNAL', `refusing to write outside the notes root: ${JSON.stringify(segments)}`, {
      root,
      segments,
    });
  }
  return rel.split(sep).join('/');
}
