import { isAbsolute, relative, resolve, sep } from 'node:path';
import { SyncError } from '../model/errors.js';

/**
 * Windows opens these devices instead of a file whatever follows the name: an extension
 * (`con.md`, `Aux.tar.gz`), spaces before it (`nul .txt`), any case. `CONIN$`/`CONOUT$` too.
 * https://learn.microsoft.com/windows/win32/fileio/naming-a-file#naming-conventions
 */
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?=\s*(\.|$))/i;
/**
 * Characters that show nothing: format characters (bidi overrides and isolates U+202A–202E,
 * U+2066–2069, marks U+200E/200F/061C, zero-width space, BOM, soft hyphen, tags), the other
 * default-ignorable code points (Hangul fillers, variation selectors) and lone surrogates. A
 * name with them can look like another name (`txt.exe` shown as `exe.txt`).
 */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]$/u;
/** Invisible, but part of what is shown when they join two visible characters (👩‍💻, ❤️, Persian ZWNJ). */
function isJoiner(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}
/** Bytes kept for the name itself; leaves room for " (id)" and ".md" under the 255-byte limit. */
const MAX_BYTES = 120;

/**
 * A project/folder/workspace name made safe as one path segment on every OS: no separators or
 * characters Windows refuses, no control or invisible characters, no leading dots (no `..`, no
 * hidden files), no trailing dots or spaces, never a device name (`con.md` → `con_.md`), at most
 * 120 UTF-8 bytes (cut on a code point), NFC so macOS and Linux agree. Never empty.
 */
export function safeSegment(name: string): string {
  let s = dropInvisible(name.normalize('NFC')).replace(/\s+/g, ' ');
  // Path segments made only of dots (`..`) say nothing: drop them; the others join with '-'.
  s = s
    .split(/[/\\]/)
    .filter((part) => !/^[.\s]*$/.test(part))
    .join('-');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
  s = s.replace(/[\u0000-\u001f\u007f-\u009f:*?"<>|]/g, '-').trim();
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  s = s.replace(DEVICE, '$1_');
  s = cutToBytes(s, MAX_BYTES).replace(/[.\s]+$/, '');
  return s === '' ? 'untitled' : s;
}

function dropInvisible(s: string): string {
  const chars = Array.from(s);
  const visible = (ch: string | undefined) => ch !== undefined && !INVISIBLE.test(ch) && !/^[\s\p{Cc}]$/u.test(ch);
  let out = '';
  let afterVisible = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (!INVISIBLE.test(ch)) {
      out += ch;
      afterVisible = visible(ch);
    } else if (isJoiner(ch) && afterVisible && (ch > '\u200d' || visible(chars[i + 1]))) {
      // A variation selector needs only its base; a joiner needs both neighbours.
      out += ch;
    } else {
      afterVisible = false;
    }
  }
  return out;
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
 * already safe; this is the belt to their braces). A component made only of dots and spaces is
 * refused as well: Windows drops trailing dots and spaces, so `.. ` is `..` there. Returns the
 * path relative to the root with `/`.
 */
export function pathInsideRoot(root: string, segments: string[]): string {
  const absolute = resolve(root, ...segments);
  const rel = relative(resolve(root), absolute);
  const components = segments.flatMap((s) => s.split(/[/\\]/));
  if (
    rel === '' ||
    rel === '..' ||
    rel.startsWith(`..${sep}`) ||
    isAbsolute(rel) ||
    resolve(root, rel) !== absolute ||
    segments.some((s) => isAbsolute(s)) ||
    components.some((c) => /^[.\s]+$/.test(c) && c !== '.')
  ) {
    throw new SyncError('INTERNAL', `refusing to write outside the notes root: ${JSON.stringify(segments)}`, {
      root,
      segments,
    });
  }
  return rel.split(sep).join('/');
}
