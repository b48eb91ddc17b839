import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { filesToParse, findMoves, RunMoves, type FileIds } from '../../src/engine/moves.js';
import { Journal } from '../../src/journal/index.js';
import { MemoryNotes } from '../support/memory-notes.js';

/** Issue 9: which `^tk-` ids name a task moved in from another linked file (engine/moves.ts). */

const bases = new Map([
  ['PA', ['aaaa1111xx', 'aaaa2222xx']],
  ['PB', ['bbbb1111xx']],
  ['PC', ['cccc1111xx']],
]);
const file = (path: string, projectId: string, ids: string[], parsed = true): FileIds => ({
  path,
  projectId,
  ids,
  parsed,
});

describe('findMoves', () => {
  it("an id of another project's task that its own file no longer carries is a move into this file", () => {
    const moves = findMoves([file('a.md', 'PA', ['aaaa2222']), file('b.md', 'PB', ['bbbb1111', 'aaaa1111'])], bases);
    expect(moves.out.get('PA')).toEqual(new Map([['aaaa1111xx', 'b.md']]));
    expect(moves.in.get('b.md')).toEqual(new Map([['aaaa1111', { projectId: 'PA', taskId: 'aaaa1111xx' }]]));
  });

  it('still carried by its own file, it is a copy (a new task), not a move', () => {
    const moves = findMoves([file('a.md', 'PA', ['aaaa1111']), file('b.md', 'PB', ['aaaa1111'])], bases);
    expect(moves.out.size + moves.in.size).toBe(0);
  });

  it('pasted into two files, the first in path order takes it; the other line is a new task', () => {
    const moves = findMoves(
      [file('c.md', 'PC', ['aaaa1111']), file('a.md', 'PA', []), file('b.md', 'PB', ['aaaa1111'])],
      bases,
    );
    expect(moves.out.get('PA')).toEqual(new Map([['aaaa1111xx', 'b.md']]));
    expect(moves.in.has('c.md')).toBe(false);
  });

  it('an id two other projects match, or none, moves nothing', () => {
    const both = new Map([...bases, ['PC', ['aaaa1111yy']]]);
    expect(findMoves([file('a.md', 'PA', []), file('b.md', 'PB', ['aaaa1111'])], both).in.size).toBe(0);
    expect(findMoves([file('a.md', 'PA', []), file('b.md', 'PB', ['dddd1111'])], bases).in.size).toBe(0);
  });

  it('nothing moves out of a project whose file does not parse, or that has no linked file', () => {
    expect(findMoves([file('a.md', 'PA', [], false), file('b.md', 'PB', ['aaaa1111'])], bases).in.size).toBe(0);
    expect(findMoves([file('b.md', 'PB', ['aaaa1111'])], bases).in.size).toBe(0);
  });

  it('a file that does not parse still holds what moved into it (the old project keeps it meanwhile)', () => {
    const moves = findMoves([file('a.md', 'PA', []), file('b.md', 'PB', ['aaaa1111'], false)], bases);
    expect(moves.out.get('PA')?.get('aaaa1111xx')).toBe('b.md');
  });
});

describe('filesToParse', () => {
  it('only the files a foreign id can involve: where it is, and the files of the project it names', () => {
    const files = [
      file('a.md', 'PA', ['aaaa2222']),
      file('a2.md', 'PA', []),
      file('b.md', 'PB', ['bbbb1111', 'aaaa1111']),
      file('c.md', 'PC', ['cccc1111', 'zzzz9999']),
    ];
    expect([...filesToParse(files, bases)].sort()).toEqual(['a.md', 'a2.md', 'b.md']);
    expect(filesToParse([file('a.md', 'PA', ['aaaa1111']), file('c.md', 'PC', ['cccc1111'])], bases).size).toBe(0);
  });
});

describe('RunMoves over the notes and the journal', () => {
  it("finds a move by the files' text, and tells moves owed (created there) from those waiting", () => {
    const notes = new MemoryNotes();
    const journal = Journal.openInMemory();
    const config = resolveConfig({}, { baseDir: '/tmp', env: {} });
    const row = (id: string) => ({
      id,
      parentId: null,
      kind: 'task' as const,
      text: id,
      completed: false,
      note: null,
      due: null,
      assignees: [],
    });
    for (const [pid, path, ids] of [
      ['PA', 'a.md', ['aaaa1111xx', 'aaaa2222xx', 'aaaa3333xx']],
      ['PB', 'b.md', ['bbbb1111xx']],
    ] as const) {
      journal.upsertLink({ path, projectId: pid, fileHash: null, at: 1 });
      journal.replaceBase(pid, ids.map(row), 1);
    }
    const head = (pid: string) => `---\ntaskade:\n  project: ${pid}\n---\n`;
    notes.files.set('a.md', `${head('PA')}- [ ] kept ^tk-aaaa3333\n`);
    // aaaa2222 is only in a code block: no item carries it.
    notes.files.set('b.md', `${head('PB')}- [ ] moved ^tk-aaaa1111\n\n\`\`\`\nnot an item ^tk-aaaa2222\n\`\`\`\n`);
    journal.putMove({ projectId: 'PA', taskId: 'aaaa2222xx', toProjectId: 'PB', toTaskId: 'n', at: 1 });
    const moves = new RunMoves({ config, journal, notes, paths: ['a.md', 'b.md'] });
    expect(moves.movedOut('PA', ['aaaa1111xx', 'aaaa2222xx'])).toEqual(
      new Map([
        ['aaaa2222xx', 'created'],
        ['aaaa1111xx', 'waiting'],
      ]),
    );
    expect(moves.movedIn('b.md', 'aaaa1111')).toEqual({ projectId: 'PA', taskId: 'aaaa1111xx' });
    expect(moves.movedIn('b.md', 'aaaa2222')).toBeNull();
    journal.close();
  });
});
