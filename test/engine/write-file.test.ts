import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileIfUnchanged } from '../../src/engine/write-file.js';
import { hashContent } from '../../src/journal/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsync-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileIfUnchanged', () => {
  it('replaces the file when it still holds what the plan was made against, leaving no temp file', () => {
    const path = join(dir, 'a.md');
    writeFileSync(path, 'before\n');
    expect(writeFileIfUnchanged(path, 'after\n', hashContent('before\n'))).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('after\n');
    expect(readdirSync(dir)).toEqual(['a.md']);
  });

  it('writes nothing when the user saved the file meanwhile', () => {
    const path = join(dir, 'a.md');
    writeFileSync(path, 'the user typed this\n');
    expect(writeFileIfUnchanged(path, 'after\n', hashContent('before\n'))).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('the user typed this\n');
  });

  it('writes nothing when the file is gone', () => {
    expect(writeFileIfUnchanged(join(dir, 'gone.md'), 'after\n', hashContent('before\n'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('keeps the permissions of the note it replaces', () => {
    const path = join(dir, 'private.md');
    writeFileSync(path, 'before\n');
    chmodSync(path, 0o600);
    expect(writeFileIfUnchanged(path, 'after\n', hashContent('before\n'))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
