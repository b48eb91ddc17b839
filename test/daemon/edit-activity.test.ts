import { describe, expect, it } from 'vitest';
import { EditActivity } from '../../src/daemon/edit-activity.js';

describe('the record of files the user is editing', () => {
  it('is busy for quietMs after an edit, then quiet', () => {
    const a = new EditActivity(3000);
    a.noteEdit('a.md', 1000);
    expect(a.isBusy('a.md', 3999)).toBe(true);
    expect(a.quietAt('a.md')).toBe(4000);
    expect(a.isBusy('a.md', 4000)).toBe(false);
    expect(a.isBusy('other.md', 1000)).toBe(false);
  });

  it('forgets files that have been quiet, so a long-running daemon does not remember every file it ever saw edited', () => {
    // Files created and deleted one after another (a daily log, a scratch note) are never held,
    // so nothing but the next edit can clean up after them.
    const a = new EditActivity(3000);
    for (let i = 0; i < 1000; i += 1) a.noteEdit(`log/${i}.md`, i * 60_000);
    expect(a.size).toBe(1);
    expect(a.isBusy('log/999.md', 999 * 60_000 + 1)).toBe(true);
  });

  it('moves a file’s quiet period with it when it is renamed', () => {
    const a = new EditActivity(3000);
    a.noteEdit('a.md', 1000);
    a.rename('a.md', 'b.md');
    expect(a.isBusy('a.md', 2000)).toBe(false);
    expect(a.isBusy('b.md', 2000)).toBe(true);
  });
});
