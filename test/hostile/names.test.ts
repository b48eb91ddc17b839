import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pathInsideRoot, safeSegment } from '../../src/engine/index.js';
import { startCliWorld, type CliWorld } from '../cli/cli-world.js';

/** What Windows takes for a device: the name before the first dot, spaces dropped, in any case. */
const isDevice = (file: string) =>
  /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i.test(file.split('.')[0]!.trimEnd());
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;

describe('safeSegment: Windows device names', () => {
  it.each([
    ['con.md', 'con_.md'],
    ['nul.txt', 'nul_.txt'],
    ['Aux.tar.gz', 'Aux_.tar.gz'],
    ['COM1', 'COM1_'],
    ['LPT9', 'LPT9_'],
    ['com²', 'com²_'],
    ['prn .log', 'prn_ .log'],
    ['CONOUT$', 'CONOUT$_'],
    ['nul.', 'nul_'],
  ])('%j → %j', (name, safe) => {
    expect(safeSegment(name)).toBe(safe);
    expect(isDevice(safeSegment(name))).toBe(false);
    // and the file pull writes for it
    expect(isDevice(`${safeSegment(name)}.md`)).toBe(false);
  });

  it.each(['console', 'nullable.md', 'com10', 'lpt', 'auxiliary notes', 'con-tracts'])('%j is left alone', (name) => {
    expect(safeSegment(name)).toBe(name);
  });
});

describe('safeSegment: invisible characters', () => {
  it.each([
    ['right-to-left override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['bidi embeddings and isolates', '\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069', 'abcdefg'],
    ['directional marks', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
    ['zero-width space, word joiner, BOM, soft hyphen', 'a\u200Bb\u2060c\uFEFFd\u00ADe', 'abcde'],
    ['Hangul filler', '\u3164', 'untitled'],
    ['lone surrogates', 'a\uD800b\uDC00', 'ab'],
    ['a joiner with nothing to join', '\u200Dlead trail\u200D', 'lead trail'],
    ['only invisible dots', '\u202E..\u202E', 'untitled'],
    ['an override hiding a device name', '\u202Econ.md', 'con_.md'],
  ])('%s', (_, name, safe) => {
    expect(safeSegment(name)).toBe(safe);
  });

  it('keeps the joiners and variation selectors that emoji and scripts need', () => {
    for (const name of ['👩‍💻 Work', '❤️‍🔥 Launch', 'می‌خواهم', '☑️ Done']) expect(safeSegment(name)).toBe(name);
  });
});

describe('pathInsideRoot', () => {
  const root = '/notes';

  it.each([
    [['..', 'x.md']],
    [['a', '..', '..', 'x.md']],
    [['/etc', 'passwd']],
    [['.. ', 'x.md']],
    [['a', '.. .', 'x.md']],
    [['..\\x.md']],
    [['...']],
  ])('refuses %j', (segments) => {
    expect(() => pathInsideRoot(root, segments)).toThrow(/refusing to write outside the notes root/);
  });

  it('accepts names that merely start with dots', () => {
    expect(pathInsideRoot(root, ['..notes', 'x.md'])).toBe('..notes/x.md');
    expect(pathInsideRoot(root, ['a', 'x.md'])).toBe('a/x.md');
  });
});

describe('pull with hostile names', () => {
  let w: CliWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('writes no file or folder Windows would open as a device, and none with invisible characters', async () => {
    w = await startCliWorld();
    const folder = w.sim.addFolder('Aux.tar.gz');
    const names = ['con.md', 'nul.txt', 'COM1', 'LPT9', 'pr\u202En.txt', 'report\u202Efdp.exe', '\u2066x\u2069'];
    for (const name of names) w.sim.seedProject({ name, folderId: folder.id, tasks: [{ text: `task of ${name}` }] });
    const r = await w.run('pull', '--workspace', w.sim.workspace.id, '--into', 'pulled');
    expect(r.code, r.stderr).toBe(0);
    const dir = join(w.root, 'pulled', w.sim.workspace.name);
    expect(readdirSync(dir)).toContain('Aux_.tar.gz');
    const files = readdirSync(join(dir, 'Aux_.tar.gz')).sort();
    expect(files).toEqual(
      ['COM1_.md', 'LPT9_.md', 'con_.md.md', 'nul_.txt.md', 'prn_.txt.md', 'reportfdp.exe.md', 'x.md'].sort(),
    );
    expect(files.some((f) => isDevice(f) || invisible.test(f))).toBe(false);
    expect(existsSync(join(w.root, 'pulled', 'con.md'))).toBe(false);
  });
});
