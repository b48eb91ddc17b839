import { describe, expect, it } from 'vitest';
import { readTaskPages, type TaskPage } from '../../src/taskade/paged-list.js';
import type { ApiTask } from '../../src/taskade/types.js';

const ctx = { method: 'GET', route: '/projects/{projectId}/tasks' };
const task = (id: string): ApiTask => ({ id, parentId: 'root', text: id, completed: false }) as ApiTask;
const page = (ids: string[]): TaskPage => ({ tasks: ids.map(task), rawLength: ids.length, ctx });

describe('readTaskPages', () => {
  it('stops a read at a page of tasks already listed, and is a SERVER error when the second read repeats too (a server that ignores the cursor: 4 pages, never more)', async () => {
    const root: ApiTask = { id: 'root', text: '', completed: false } as ApiTask;
    const cursors: Array<string | undefined> = [];
    const error = await readTaskPages((after) => {
      cursors.push(after);
      return Promise.resolve({ ...page(['a', 'b']), tasks: [root, task('a')], rawLength: 2 });
    }, 2).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'SERVER',
      message: expect.stringContaining('changed while it was read page by page, twice (task root on two pages)'),
    });
    expect(cursors).toEqual([undefined, 'a', undefined, 'a']);
  });

  it('reads a list whose pages hold together once', async () => {
    const pages: Record<string, string[]> = { '': ['root', 'a'], a: ['b', 'c'], c: ['d'] };
    let reads = 0;
    const { all, pages: count } = await readTaskPages((after) => {
      reads += 1;
      return Promise.resolve(page(pages[after ?? '']!));
    }, 2);
    expect(all.map((t) => t.id)).toEqual(['root', 'a', 'b', 'c', 'd']);
    expect([count, reads]).toEqual([3, 3]);
  });
});
