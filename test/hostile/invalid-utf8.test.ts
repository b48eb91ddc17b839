import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstInvalidUtf8Byte, readNote } from '../../src/engine/read-note.js';
import { startWorld, type World } from '../e2e/harness.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('a note that is not valid UTF-8', () => {
  it('is skipped with the offset of the first bad byte; its bytes and the project stay as they are', async () => {
    w = await startWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [{ text: 'from Taskade' }] });
    // "- [ ] café" saved as Latin-1: é is the single byte 0xE9.
    const head = `---\ntaskade:\n  project: ${projectId}\n---\n# Notes\n\n- [ ] caf`;
    const bytes = Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from([0xe9, 0x0a])]);
    writeFileSync(join(w.root, 'latin1.md'), bytes);
    w.sim.resetStats();
    const report = await w.sync();
    expect(report.files[0]).toMatchObject({ path: 'latin1.md', outcome: 'skipped' });
    expect(report.files[0]!.error).toContain(`not valid UTF-8 (byte 0xe9 at offset ${head.length})`);
    expect(readFileSync(join(w.root, 'latin1.md')).equals(bytes)).toBe(true);
    expect(w.sim.stats().writes).toBe(0);
  });
});

describe('readNote', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a byte order mark, so a rewrite keeps it too', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsync-read-'));
    writeFileSync(join(dir, 'bom.md'), '\uFEFF# Title\n');
    expect(readNote(dir, 'bom.md')).toBe('\uFEFF# Title\n');
  });
});

describe('firstInvalidUtf8Byte', () => {
  const at = (...b: number[]) => firstInvalidUtf8Byte(Uint8Array.from(b));

  it('is the length for well-formed text, including 4-byte sequences', () => {
    const ok = Buffer.from('a é € 🚀', 'utf8');
    expect(firstInvalidUtf8Byte(ok)).toBe(ok.length);
  });

  it('finds a lone continuation byte, a truncated sequence, an overlong form and an encoded surrogate', () => {
    expect(at(0x61, 0x80)).toBe(1);
    expect(at(0x61, 0x62, 0xe2, 0x82)).toBe(2);
    expect(at(0xc0, 0xaf)).toBe(0);
    expect(at(0xe0, 0x80, 0xaf)).toBe(0);
    expect(at(0x61, 0xed, 0xa0, 0x80)).toBe(1);
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0);
  });
});
