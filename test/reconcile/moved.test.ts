import { describe, expect, it } from 'vitest';
import { plan, type PlanInput } from '../../src/reconcile/index.js';
import type { Field } from '../../src/model/task.js';
import type { MovedOut } from '../../src/reconcile/moved.js';
import { input, records } from './support/outline.js';

/** Issue 9: the two halves of a task moved from one linked file to another (reconcile/moved.ts). */

const withMoves = (i: PlanInput, movedOut: MovedOut): PlanInput => ({ ...i, movedOut });

describe('the old project: a task whose item went to another file', () => {
  it('waiting to be created there: not deleted, nothing written, its base row held', () => {
    const base = '- [a] A\n- [x] X | note=kept\n- [c] C';
    const result = plan(
      withMoves(input({ base, local: '- [a] A\n- [c] C', remote: base }), new Map([['x', 'waiting']])),
    );
    expect(result.remote).toEqual([]);
    expect(result.local).toEqual([]);
    expect(result.held).toEqual(['x']);
    expect(result.target.map((t) => t.id)).toEqual(['a', 'c']);
    expect(result.guard).toBeNull();
  });

  it('edited and reordered around in Taskade meanwhile: still not kept here (the edit goes with it)', () => {
    // Seed 20261203, run 4777: x went to the other file; Taskade added n at the end and moved a
    // after it — read as x's move, that beat the file's delete and kept x in both projects.
    const base = '- [a] A\n- [x] X';
    const remote = '- [x] X | note=edited\n- [n] N\n- [a] A';
    const result = plan(withMoves(input({ base, local: '- [a] A', remote }), new Map([['x', 'waiting']])));
    expect(result.target.map((t) => t.id)).toEqual(['n', 'a']);
    expect(result.local).toEqual([
      { type: 'insert', item: expect.objectContaining({ id: 'n' }), parent: null, after: null },
    ]);
    expect(result.remote.filter((op) => op.op === 'delete')).toEqual([]);
    expect(result.held).toEqual(['x']);
  });

  it('created there: deleted here, once what stays of its subtree is moved out to its place', () => {
    const base = '- [p] P\n- [x] X\n  - [c] C\n- [z] Z';
    const remote = '- [p] P\n- [x] X\n  - [c] C\n  - [n] Added in Taskade\n- [z] Z';
    const result = plan(
      withMoves(input({ base, local: '- [p] P\n- [c] C\n- [z] Z', remote }), new Map([['x', 'created']])),
    );
    expect(result.remote).toEqual([
      { op: 'move', id: 'c', parent: null, after: 'p' },
      { op: 'move', id: 'n', parent: null, after: 'c' },
      { op: 'delete', id: 'x' },
    ]);
    expect(result.local).toEqual([
      { type: 'insert', item: expect.objectContaining({ id: 'n' }), parent: null, after: 'c' },
    ]);
    expect(result.held).toEqual([]);
  });

  it('a delete whose subtree holds a task still waiting is held back, with its rows', () => {
    const base = '- [p] P\n  - [x] X\n- [q] Q';
    const result = plan(withMoves(input({ base, local: '- [q] Q', remote: base }), new Map([['x', 'waiting']])));
    expect(result.remote).toEqual([]);
    expect(result.held.sort()).toEqual(['p', 'x']);
  });

  it('is not counted by the deletion guard: a file left empty by moving its last task away is no empty side', () => {
    const base = '- [x] X';
    const result = plan(withMoves(input({ base, local: '', remote: base }), new Map([['x', 'waiting']])));
    expect(result.guard).toBeNull();
    expect(plan(input({ base, local: '', remote: base })).guard).toMatchObject({ reason: 'empty-side' });
  });
});

describe('the new project: an item that came from another file (carried)', () => {
  const carried = (base: string, remote: string | null, pending: Field[] = []) =>
    new Map([['k', { base: records(base)[0]!, remote: remote === null ? null : records(remote)[0]!, pending }]]);

  it('is created with the merge of the file and its old task: an edit made in Taskade there comes along', () => {
    const i = input({
      base: '- [o] Other',
      local: '- [o] Other\n- [new:k] Ship | note=old @ann',
      remote: '- [o] Other',
    });
    const result = plan({ ...i, carried: carried('- [x] Ship | note=old @ann', '- [x] Ship | done note=new @ann') });
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:k', parent: null, after: 'o', kind: 'task', text: 'Ship' },
      { op: 'set-completed', id: 'new:k', completed: true },
      { op: 'set-note', id: 'new:k', note: 'new' },
      { op: 'set-assignees', id: 'new:k', assignees: ['ann'], previous: [] },
    ]);
    expect(result.local).toEqual([{ type: 'update', key: 'k', values: { completed: true, note: 'new' } }]);
    expect(result.carried).toEqual([{ key: 'k', id: 'new:k' }]);
    expect(result.conflicts).toEqual([]);
  });

  it('edited on both sides differently: a conflict on the new task, the winner created, the loser in the marker', () => {
    const i = input({ base: '', local: '- [new:k] Ship | note=file', remote: '' });
    const result = plan({ ...i, carried: carried('- [x] Ship | note=old', '- [x] Ship | note=taskade') });
    expect(result.conflicts).toEqual([
      { taskId: 'new:k', field: 'note', base: 'old', local: 'file', remote: 'taskade', winner: 'remote' },
    ]);
    expect(result.remote).toContainEqual({ op: 'set-note', id: 'new:k', note: 'taskade' });
    expect(result.local).toContainEqual({
      type: 'set-conflicts',
      key: 'k',
      conflicts: [{ field: 'note', value: 'file' }],
    });
  });

  it("a field with a conflict pending in the old project is the file's: no second conflict, the pending one comes along", () => {
    // The file resolved it (its marker removed) with a value Taskade's copy does not hold.
    const i = input({ base: '', local: '- [new:k] Ship | note=file', remote: '' });
    const result = plan({ ...i, carried: carried('- [x] Ship | note=old', '- [x] Ship | note=taskade', ['note']) });
    expect(result.conflicts).toEqual([]);
    expect(result.remote).toContainEqual({ op: 'set-note', id: 'new:k', note: 'file' });
    expect(result.local).toEqual([]);
  });

  it('deleted in Taskade there: created from the file (a move is an edit, and an edit beats a delete)', () => {
    const i = input({ base: '', local: '- [new:k] Ship | note=file', remote: '' });
    const result = plan({ ...i, carried: carried('- [x] Ship | note=old', null) });
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:k', parent: null, after: null, kind: 'task', text: 'Ship' },
      { op: 'set-note', id: 'new:k', note: 'file' },
    ]);
    expect(result.local).toEqual([]);
  });
});
