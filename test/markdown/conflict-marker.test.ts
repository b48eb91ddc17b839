import { describe, expect, it } from 'vitest';
import { formatConflictMarker } from '../../src/markdown/conflict-marker.js';
import { formatLineMetadata, parseLineMetadata } from '../../src/markdown/line-metadata.js';
import type { ConflictMarker } from '../../src/model/local-change.js';

const line = (conflicts: ConflictMarker[], text = 'Ship it'): string =>
  formatLineMetadata({
    text,
    due: { date: '2026-05-01', time: null, timezone: null },
    assignees: [],
    conflicts,
    id: 'abc12345',
  });

describe('conflict markers', () => {
  it('are Obsidian highlights (shown in Reading view), before the obsidian-tasks fields', () => {
    const written = line([{ field: 'text', value: 'Ship it today' }], 'Ship it ⏫');
    expect(written).toBe('Ship it ==⚠ conflict text: "Ship it today"== ⏫ 📅 2026-05-01 ^tk-abc12345');
    expect(written).not.toContain('%%');
  });

  it('write dates as dates and completion, assignees, empty values as words', () => {
    expect(formatConflictMarker({ field: 'due', value: { date: '2026-03-01', time: null, timezone: null } })).toBe(
      '==⚠ conflict due: 2026-03-01==',
    );
    expect(
      formatConflictMarker({ field: 'due', value: { date: '2026-03-01', time: '09:30', timezone: 'Europe/Paris' } }),
    ).toBe('==⚠ conflict due: 2026-03-01 09:30 Europe/Paris==');
    expect(formatConflictMarker({ field: 'due', value: null })).toBe('==⚠ conflict due: none==');
    expect(formatConflictMarker({ field: 'completed', value: true })).toBe('==⚠ conflict completed: done==');
    expect(formatConflictMarker({ field: 'completed', value: false })).toBe('==⚠ conflict completed: not done==');
    expect(formatConflictMarker({ field: 'assignees', value: ['alice', 'bob'] })).toBe(
      '==⚠ conflict assignees: @alice @bob==',
    );
    expect(formatConflictMarker({ field: 'assignees', value: [] })).toBe('==⚠ conflict assignees: none==');
    expect(formatConflictMarker({ field: 'note', value: null })).toBe('==⚠ conflict note: none==');
    expect(formatConflictMarker({ field: 'text', value: 'a == b' })).toBe('==⚠ conflict text: "a \\u003d\\u003d b"==');
  });

  it('read back every value they write, several on one line, in order', () => {
    const markers: ConflictMarker[] = [
      { field: 'text', value: 'a == b, 100 % "quoted" and %% too' },
      { field: 'note', value: 'line 1\nline 2 ==x==' },
      { field: 'completed', value: false },
      { field: 'due', value: { date: '2026-03-01', time: '09:30:15', timezone: null } },
      { field: 'due', value: { date: '2026-03-01', time: null, timezone: 'UTC' } },
      { field: 'assignees', value: ['alice', 'b.o-b_2'] },
      { field: 'assignees', value: ['odd handle=x'] },
      { field: 'assignees', value: [] },
      { field: 'note', value: null },
    ];
    for (const marker of markers) {
      const parsed = parseLineMetadata(line([marker]));
      expect(parsed.conflicts).toEqual([marker]);
      expect(parsed.text).toBe('Ship it');
      expect(parsed.id).toBe('abc12345');
      expect(parsed.due).toEqual({ date: '2026-05-01', time: null, timezone: null });
    }
    expect(parseLineMetadata(line(markers.slice(0, 4))).conflicts).toEqual(markers.slice(0, 4));
  });

  it('still read the %%…%% form written before (migration), and write the new form after', () => {
    const old =
      'Ship it %%conflict text: "remote"%% %%conflict due: {"date":"2026-02-01","time":"10:00","timezone":null}%% 📅 2026-05-01';
    const parsed = parseLineMetadata(old);
    expect(parsed.text).toBe('Ship it');
    expect(parsed.conflicts).toEqual([
      { field: 'text', value: 'remote' },
      { field: 'due', value: { date: '2026-02-01', time: '10:00', timezone: null } },
    ]);
    expect(formatLineMetadata({ ...parsed, id: null })).toBe(
      'Ship it ==⚠ conflict text: "remote"== ==⚠ conflict due: 2026-02-01 10:00== 📅 2026-05-01',
    );
  });

  it('leave a highlight that is not a valid marker in the text', () => {
    for (const text of [
      'Read ==this== first',
      'Odd ==⚠ conflict due: next week==',
      'Odd ==⚠ conflict colour: "red"==',
    ]) {
      const parsed = parseLineMetadata(text);
      expect(parsed.conflicts).toEqual([]);
      expect(parsed.text).toBe(text);
    }
  });

  it('a task text that would read as a marker is escaped and comes back as written', () => {
    const text = 'Note ==⚠ conflict text: "x"==';
    const written = formatLineMetadata({ text, due: null, assignees: [], conflicts: [], id: null });
    expect(written).not.toBe(text);
    expect(parseLineMetadata(written)).toMatchObject({ text, conflicts: [] });
  });
});
