import { describe, expect, it } from 'vitest';
import { isIgnoredPath, isMarkdownPath } from '../../src/daemon/ignore.js';

describe('the watcher ignores', () => {
  it.each([
    ['.taskade-sync/state.db', 'the state dir'],
    ['.taskade-sync/state.db-wal', 'the state dir'],
    ['.git/HEAD', 'git'],
    ['notes/.git/objects/ab/cd', 'a nested git repo'],
    ['.obsidian/workspace.json', "Obsidian's settings"],
    ['tools/node_modules/x/readme.md', 'packages'],
    ['notes/.#roadmap.md', 'an Emacs lock file'],
    ['notes/roadmap.md~', 'an Emacs backup'],
    ['notes/.roadmap.md.swp', 'a Vim swap file'],
    ['notes/.roadmap.md.swo', 'a second Vim swap file'],
    ['notes/4913', "Vim's write probe"],
    ['notes/roadmap.md.tmp', 'a temp file'],
    ['notes/.~lock.roadmap.md#', 'a LibreOffice lock'],
    ['notes/roadmap.md.crswap', 'a Chromium safe-save swap'],
  ])('%s (%s)', (path) => {
    expect(isIgnoredPath(path, '.taskade-sync')).toBe(true);
  });

  it.each(['roadmap.md', 'notes/Roadmap 2026.md', 'gitlab/notes.md', '.github-notes.md', 'state.md'])(
    'but not the note %s',
    (path) => {
      expect(isIgnoredPath(path, '.taskade-sync')).toBe(false);
    },
  );

  it('ignores a state dir configured elsewhere, and not its namesake prefix', () => {
    expect(isIgnoredPath('var/state/state.db', './var/state/')).toBe(true);
    expect(isIgnoredPath('var/state-notes.md', 'var/state')).toBe(false);
  });

  it('treats Windows separators like POSIX ones', () => {
    expect(isIgnoredPath('notes\\.git\\HEAD', '.taskade-sync')).toBe(true);
  });

  it('only markdown files are notes', () => {
    expect(isMarkdownPath('a/b.md')).toBe(true);
    expect(isMarkdownPath('a/b.MARKDOWN')).toBe(true);
    expect(isMarkdownPath('a/b.txt')).toBe(false);
    expect(isMarkdownPath('a/b.md.tmp')).toBe(false);
  });
});
