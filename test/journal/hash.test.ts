import { describe, expect, it } from 'vitest';
import { hashContent, hashField } from '../../src/journal/index.js';

// These hashes are stored in every state database: a change here makes every existing journal
// look as if all fields changed. The vectors are fixed on purpose; never update them casually.
// They are the first 16 hex digits of sha256 over the canonical JSON, checkable by hand, e.g.
// `printf '%s' '"hello"' | sha256sum` and `printf '%s' '["2026-01-01",null,null]' | sha256sum`
// (a due date is `[date, time, timezone]`; assignees the normalised sorted array).
describe('hashField', () => {
  it('matches the fixed vectors for each field', () => {
    expect(hashField('text', 'hello')).toBe('5aa762ae383fbb72');
    expect(hashField('text', '')).toBe('12ae32cb1ec02d01');
    expect(hashField('completed', false)).toBe('fcbcf165908dd18a');
    expect(hashField('completed', true)).toBe('b5bea41b6c623f7c');
    expect(hashField('note', null)).toBe('74234e98afe7498f');
    expect(hashField('note', 'n')).toBe('46a3ae93aa7a8b98');
    expect(hashField('due', null)).toBe('74234e98afe7498f');
    expect(hashField('due', { date: '2026-01-01', time: null, timezone: null })).toBe('55b1de4c07f9ed28');
    expect(hashField('assignees', [])).toBe('4f53cda18c2baa0c');
    expect(hashField('assignees', ['y', 'z'])).toBe('494a066604773c3f');
  });

  it('is 16 lowercase hex digits', () => {
    expect(hashField('text', 'Ship the importer 📅')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes equal meaning equally: note line breaks and trailing space, assignee order and @', () => {
    expect(hashField('note', 'a\r\nb  \n')).toBe(hashField('note', 'a\nb'));
    expect(hashField('note', '   ')).toBe(hashField('note', null));
    expect(hashField('assignees', ['@z', 'y', 'y'])).toBe(hashField('assignees', ['y', 'z']));
  });

  it('does not depend on the key order of a due date object', () => {
    const a = { date: '2026-12-01', time: '09:30', timezone: 'Europe/Paris' };
    const b = { timezone: 'Europe/Paris', time: '09:30', date: '2026-12-01' };
    expect(hashField('due', a)).toBe(hashField('due', b));
    expect(hashField('due', a)).not.toBe(hashField('due', { ...a, timezone: null }));
  });

  it('tells apart values that differ', () => {
    expect(hashField('text', 'a')).not.toBe(hashField('text', 'a '));
    expect(hashField('completed', true)).not.toBe(hashField('completed', false));
    expect(hashField('assignees', ['a'])).not.toBe(hashField('assignees', ['a', 'b']));
  });
});

describe('hashContent', () => {
  it('is the full sha256 of the UTF-8 text', () => {
    expect(hashContent('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashContent('x')).toBe('2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  });
});
