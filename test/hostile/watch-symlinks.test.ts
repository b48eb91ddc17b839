import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchNotes, type FileWatcher } from '../../src/daemon/watcher.js';

let parent: string;
let watcher: FileWatcher | undefined;
afterEach(async () => {
  await watcher?.close();
  rmSync(parent, { recursive: true, force: true });
});

describe.runIf(process.platform !== 'win32')('watch and symbolic links', () => {
  it('does not report files behind a linked folder that leads out of the root', async () => {
    parent = realpathSync(mkdtempSync(join(tmpdir(), 'tsync-watch-link-')));
    const root = join(parent, 'notes');
    const outside = join(parent, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'x.md'), 'one\n');
    symlinkSync(outside, join(root, 'linkdir'));
    const seen: string[] = [];
    let wake: (() => void) | null = null;
    watcher = await watchNotes({
      root,
      stateDir: join(root, '.taskade-sync'),
      onEvent: (kind, rel) => {
        seen.push(`${kind} ${rel}`);
        wake?.();
      },
      onError: (e) => {
        throw e;
      },
    });
    const untilSeen = (event: string) =>
      new Promise<void>((resolve) => {
        wake = () => seen.includes(event) && resolve();
        wake();
      });
    // The outside change is made first; two later events inside the root prove the watcher has
    // had every chance to report it.
    writeFileSync(join(outside, 'x.md'), 'two\n');
    writeFileSync(join(outside, 'y.md'), 'new\n');
    writeFileSync(join(root, 'a.md'), 'a\n');
    await untilSeen('add a.md');
    writeFileSync(join(root, 'b.md'), 'b\n');
    await untilSeen('add b.md');
    expect(seen.filter((e) => e.includes('linkdir'))).toEqual([]);
  });
});
