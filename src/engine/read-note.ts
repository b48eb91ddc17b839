import { readFileSync } from 'node:fs';
import { SyncError } from '../model/errors.js';
import { realPathInsideRoot } from './root-guard.js';

/** Keeps a BOM in the text (as `readFileSync(…, 'utf8')` did), so a rewrite keeps it too. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A note's text, read through its real path, which must stay inside the notes root. A file that
 * is not valid UTF-8 (a Latin-1 note, say) is refused with the byte offset of the first bad byte:
 * decoding it leniently would turn those bytes into U+FFFD, and the next rewrite of the file, or
 * the push of its lines to Taskade, would destroy text the tool never understood.
 */
export function readNote(root: string, rel: string): string {
  const bytes = readFileSync(realPathInsideRoot(root, rel));
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8Byte(bytes);
    throw new SyncError(
      'USAGE',
      `${rel} is not valid UTF-8 (byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at offset ${at}); ` +
        'nothing is changed on either side until it is saved as UTF-8',
      { file: rel, offset: at },
    );
  }
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or `bytes.length` when all are.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // The lead byte gives the length and the allowed range of the first continuation byte.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return bytes.length;
}
