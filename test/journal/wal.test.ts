import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/index.js';
import { task, tempDir } from './support.js';

let cleanup: () => void;
let writer: Journal;
let reader: Journal;

beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  const file = join(temp.dir, 'state.db');
  writer = Journal.open(file);
  reader = Journal.open(file); // a second connection, as `status` beside a running daemon
  writer.upsertLink({ path: 'a.md', projectId: 'P', fileHash: null, at: 1 });
  writer.replaceBase('P', [task('a', null)], 1);
});

afterEach(() => {
  reader.close();
  writer.close();
  cleanup();
});

describe('concurrent readers (WAL)', () => {
  it('a reader sees the last committed base while a write transaction is open', () => {
    writer.transaction(() => {
      writer.putTask('P', task('b', null), 1, 2);
      expect(reader.getBase('P').map((t) => t.id)).toEqual(['a']);
    });
    expect(reader.getBase('P').map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('a writer commits while a reader is in the middle of a read transaction, and the reader keeps its snapshot', () => {
    // In rollback-journal mode this commit would wait for the reader and fail with SQLITE_BUSY.
    reader.transaction(() => {
      expect(reader.getBase('P').map((t) => t.id)).toEqual(['a']);
      writer.putTask('P', task('b', null), 1, 2);
      writer.startRun({ kind: 'sync', at: 2 });
      expect(reader.getBase('P').map((t) => t.id)).toEqual(['a']);
      expect(reader.lastRuns(5)).toEqual([]);
    });
    expect(reader.getBase('P').map((t) => t.id)).toEqual(['a', 'b']);
    expect(reader.lastRuns(5)).toHaveLength(1);
  });
});
