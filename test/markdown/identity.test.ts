import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { compactId, decodeNote, encodeNote, resolveShortId, shortId } from '../../src/markdown/index.js';
import { fcParams } from '../support/fc.js';

describe('block ids', () => {
  test('a UUID gives its first eight hex digits', () => {
    expect(
      shortId('099630d4-267e-4e4e-9d9d-1234567890ab', ['099630d4-267e-4e4e-9d9d-1234567890ab', '861d426a-0000']),
    ).toBe('099630d4');
  });

  test('ids are compacted to letters and digits, a valid Obsidian block id', () => {
    expect(compactId('8hoA5_Pt-YfK')).toBe('8hoA5PtYfK');
    expect(shortId('ab_cd-ef_gh-ij', [])).toMatch(/^[A-Za-z0-9]+$/);
  });

  test('a shared prefix makes the short id longer, just enough to be unique', () => {
    const ids = ['abcdefgh1111', 'abcdefgh2222', 'zzzzzzzz'];
    expect(shortId('abcdefgh1111', ids)).toBe('abcdefgh1');
    expect(resolveShortId('abcdefgh1', ids)).toBe('abcdefgh1111');
  });

  test('an id that is a prefix of another resolves by exact match', () => {
    const ids = ['abcdefgh', 'abcdefghij'];
    expect(shortId('abcdefgh', ids)).toBe('abcdefgh');
    expect(resolveShortId('abcdefgh', ids)).toBe('abcdefgh');
    expect(resolveShortId('abcdefghi', ids)).toBe('abcdefghij');
  });

  test('an ambiguous or unknown short id resolves to nothing', () => {
    expect(resolveShortId('abcd', ['abcd1', 'abcd2'])).toBeNull();
    expect(resolveShortId('ffff0000', ['abcd1'])).toBeNull();
  });

  test('every id of a project resolves from its short id', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[0-9a-f]{4,12}(-[0-9a-f]{1,4})?$/), {
          minLength: 1,
          maxLength: 30,
          selector: compactId,
        }),
        (ids) => {
          for (const id of ids) expect(resolveShortId(shortId(id, ids), ids)).toBe(id);
        },
      ),
      fcParams(),
    );
  });
});

describe('note encoding for the one-line Taskade note', () => {
  test('line breaks become <br>', () => {
    expect(encodeNote('one\ntwo\n\nthree')).toBe('one<br>two<br><br>three');
    expect(decodeNote('one<br>two')).toBe('one\ntwo');
  });

  test('a literal <br> in the note gains a backslash, and loses it on the way back', () => {
    expect(encodeNote('a <br> b <br\\> c')).toBe('a <br\\> b <br\\\\> c');
    expect(decodeNote('a <br\\> b <br\\\\> c')).toBe('a <br> b <br\\> c');
  });

  test('a note typed in Taskade with real line breaks decodes to itself', () => {
    expect(decodeNote('typed\nin the app')).toBe('typed\nin the app');
  });

  test('the encoded form is one line and decodes to the note', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '<', 'b', 'r', '>', '\\', '\n', ' ', '😀') }), (note) => {
        const encoded = encodeNote(note);
        expect(encoded).not.toMatch(/[\r\n]/);
        expect(decodeNote(encoded)).toBe(note);
      }),
      fcParams(),
    );
  });
});
