import { describe, expect, it } from 'vitest';
import { plan, type Plan, type PlanInput } from '../../src/reconcile/index.js';
import { applyPlan, localShape, remoteShape, replan } from './support/converge.js';
import { input } from './support/outline.js';

/** Plan, apply to both sides, check both hold the target and that the next run has nothing to do. */
function converged(i: PlanInput): Plan {
  const result = plan(i);
  const applied = applyPlan(i, result);
  expect(remoteShape(applied.remote)).toEqual(remoteShape(applied.target));
  expect(localShape(applied.local)).toEqual(localShape(applied.target));
  const next = replan(i, result, applied);
  expect({ remote: next.remote, local: next.local, conflicts: next.conflicts }).toEqual({
    remote: [],
    local: [],
    conflicts: [],
  });
  return result;
}

const BASE = `
- [a] Alpha
  - [b] Beta
  - [c] Gamma
- [d] Delta
`;

describe('per-field three-way merge', () => {
  it('a run with nothing changed plans nothing and keeps the base', () => {
    const result = converged(input({ base: BASE, local: BASE, remote: BASE }));
    expect(result.remote).toEqual([]);
    expect(result.local).toEqual([]);
    expect(result.target.map((t) => t.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.stats).toEqual({ creates: 0, updates: 0, moves: 0, deletes: 0, localChanges: 0 });
  });

  it('a field changed locally only is pushed, and nothing is written locally', () => {
    const local = BASE.replace('[b] Beta', '[b] Beta v2 | done note=hi due=2026-01-02 @ann');
    const result = converged(input({ base: BASE, local, remote: BASE }));
    expect(result.remote).toEqual([
      { op: 'update-text', id: 'b', text: 'Beta v2' },
      { op: 'set-completed', id: 'b', completed: true },
      { op: 'set-note', id: 'b', note: 'hi' },
      { op: 'set-due', id: 'b', due: { date: '2026-01-02', time: null, timezone: null } },
      { op: 'set-assignees', id: 'b', assignees: ['ann'], previous: [] },
    ]);
    expect(result.local).toEqual([]);
  });

  it('a field changed remotely only comes down, and nothing is written remotely', () => {
    const remote = BASE.replace('[d] Delta', '[d] Delta | done @bob');
    const result = converged(input({ base: BASE, local: BASE, remote }));
    expect(result.remote).toEqual([]);
    expect(result.local).toEqual([{ type: 'update', key: 'd', values: { completed: true, assignees: ['bob'] } }]);
  });

  it('the same change on both sides is no conflict and no write', () => {
    const both = BASE.replace('[c] Gamma', '[c] Gamma! | note=same');
    const result = converged(input({ base: BASE, local: both, remote: both }));
    expect(result).toMatchObject({ remote: [], local: [], conflicts: [] });
    expect(result.target.find((t) => t.id === 'c')).toMatchObject({ text: 'Gamma!', note: 'same' });
  });

  it('different changes to one field are a conflict: remote wins by default, the local value stays in a marker', () => {
    const local = BASE.replace('[a] Alpha', '[a] Alpha (mine)');
    const remote = BASE.replace('[a] Alpha', '[a] Alpha (theirs)');
    const result = converged(input({ base: BASE, local, remote }));
    expect(result.conflicts).toEqual([
      { taskId: 'a', field: 'text', base: 'Alpha', local: 'Alpha (mine)', remote: 'Alpha (theirs)', winner: 'remote' },
    ]);
    expect(result.remote).toEqual([]);
    expect(result.local).toEqual([
      { type: 'update', key: 'a', values: { text: 'Alpha (theirs)' } },
      { type: 'set-conflicts', key: 'a', conflicts: [{ field: 'text', value: 'Alpha (mine)' }] },
    ]);
    expect(result.target[0]!.text).toBe('Alpha (theirs)');
  });

  it('with conflictWinner local, the local value goes up and the remote value is the marker', () => {
    const local = BASE.replace('[a] Alpha', '[a] Alpha | due=2026-03-01');
    const remote = BASE.replace('[a] Alpha', '[a] Alpha | due=2026-04-01');
    const result = converged(input({ base: BASE, local, remote }, { conflictWinner: 'local' }));
    expect(result.remote).toEqual([
      { op: 'set-due', id: 'a', due: { date: '2026-03-01', time: null, timezone: null } },
    ]);
    expect(result.local).toEqual([
      {
        type: 'set-conflicts',
        key: 'a',
        conflicts: [{ field: 'due', value: { date: '2026-04-01', time: null, timezone: null } }],
      },
    ]);
  });

  it('a new conflict keeps the markers of other fields already beside the item', () => {
    const local = BASE.replace('[a] Alpha', '[a] Alpha | note=mine');
    const remote = BASE.replace('[a] Alpha', '[a] Alpha | note=theirs');
    const markers = { a: [{ field: 'text' as const, value: 'old loser' }] };
    const result = plan(input({ base: BASE, local, remote, markers }));
    expect(result.local).toContainEqual({
      type: 'set-conflicts',
      key: 'a',
      conflicts: [
        { field: 'text', value: 'old loser' },
        { field: 'note', value: 'mine' },
      ],
    });
  });

  it('a pending conflict whose marker is still in the file is left alone, even when a side changes again', () => {
    const base = BASE.replace('[a] Alpha', '[a] Theirs');
    const local = BASE.replace('[a] Alpha', '[a] Edited while pending');
    const remote = BASE.replace('[a] Alpha', '[a] Theirs again');
    const result = plan(
      input({
        base,
        local,
        remote,
        markers: { a: [{ field: 'text', value: 'Mine' }] },
        pending: [{ taskId: 'a', field: 'text', winner: 'remote' }],
      }),
    );
    expect(result).toMatchObject({ remote: [], local: [], conflicts: [], resolved: [] });
    expect(result.stillPending).toEqual([{ taskId: 'a', field: 'text', winner: 'remote' }]);
    expect(result.target[0]!.text).toBe('Theirs');
  });

  it('a pending conflict whose marker the user removed is resolved: the local value is the resolution', () => {
    const base = BASE.replace('[a] Alpha', '[a] Theirs');
    const local = BASE.replace('[a] Alpha', '[a] Mine after all');
    const remote = BASE.replace('[a] Alpha', '[a] Theirs again');
    const result = converged(
      input({ base, local, remote, pending: [{ taskId: 'a', field: 'text', winner: 'remote' }] }),
    );
    expect(result.resolved).toEqual([{ taskId: 'a', field: 'text' }]);
    expect(result.stillPending).toEqual([]);
    expect(result.remote).toEqual([{ op: 'update-text', id: 'a', text: 'Mine after all' }]);
  });

  it('a resolution that kept the winner lets a newer remote value come down', () => {
    const base = BASE.replace('[a] Alpha', '[a] Theirs');
    const remote = BASE.replace('[a] Alpha', '[a] Theirs, later');
    const result = converged(
      input({ base, local: base, remote, pending: [{ taskId: 'a', field: 'text', winner: 'remote' }] }),
    );
    expect(result.resolved).toEqual([{ taskId: 'a', field: 'text' }]);
    expect(result.local).toEqual([{ type: 'update', key: 'a', values: { text: 'Theirs, later' } }]);
  });

  it('a pending conflict on a task that is gone ends as resolved', () => {
    const gone = BASE.replace('- [d] Delta\n', '');
    const result = plan(
      input({ base: BASE, local: gone, remote: gone, pending: [{ taskId: 'd', field: 'note', winner: 'remote' }] }),
    );
    expect(result.resolved).toEqual([{ taskId: 'd', field: 'note' }]);
    expect(result.stillPending).toEqual([]);
  });

  it('a marker in the file without a pending conflict is left as written', () => {
    const markers = { a: [{ field: 'text' as const, value: 'typed by hand' }] };
    const result = converged(input({ base: BASE, local: BASE, remote: BASE, markers }));
    expect(result).toMatchObject({ remote: [], local: [], conflicts: [], resolved: [], stillPending: [] });
  });

  it('sub-resources not read this run count as unchanged since the base', () => {
    const base = BASE.replace('[b] Beta', '[b] Beta | note=old @ann');
    const local = BASE.replace('[b] Beta', '[b] Beta | note=new @ann');
    const result = converged(input({ base, local, remote: base, unread: ['b'] }));
    expect(result.remote).toEqual([{ op: 'set-note', id: 'b', note: 'new' }]);
    expect(result.local).toEqual([]);
  });

  it('with no base entry, unread sub-resources are not overwritten with local values', () => {
    const local = `- [a] Alpha | note=local-note @ann`;
    const result = plan(input({ base: null, local, remote: '- [a] Alpha', unread: ['a'] }));
    expect(result).toMatchObject({ remote: [], local: [], conflicts: [] });
  });
});

describe('positions', () => {
  it('a local reorder is one move remotely, never delete + create', () => {
    const local = `
- [d] Delta
- [a] Alpha
  - [b] Beta
  - [c] Gamma
`;
    const result = converged(input({ base: BASE, local, remote: BASE }));
    expect(result.remote).toEqual([{ op: 'move', id: 'a', parent: null, after: 'd' }]);
    expect(result.stats).toMatchObject({ creates: 0, moves: 1, deletes: 0 });
  });

  it('a remote reparent is one move locally, with its subtree', () => {
    const remote = `
- [a] Alpha
  - [c] Gamma
- [d] Delta
  - [b] Beta
`;
    const result = converged(input({ base: BASE, local: BASE, remote }));
    expect(result.local).toEqual([{ type: 'move', key: 'b', parent: 'd', after: null }]);
    expect(result.remote).toEqual([]);
  });

  it('the same move on both sides is no conflict and no write', () => {
    const moved = `
- [d] Delta
  - [c] Gamma
- [a] Alpha
  - [b] Beta
`;
    const result = converged(input({ base: BASE, local: moved, remote: moved }));
    expect(result).toMatchObject({ remote: [], local: [], moveConflicts: [] });
  });

  it('a task put after one both sides moved to the same place follows it, whichever side wins', () => {
    // Both sides moved b under a; the file also put e under a after b (Taskade did not).
    const base = '- [a] A\n- [b] B\n- [c] C\n- [e] E';
    const local = '- [a] A\n  - [b] B\n  - [e] E\n- [c] C';
    const remote = '- [a] A\n  - [b] B\n- [c] C\n- [e] E';
    for (const winner of ['local', 'remote'] as const) {
      const result = converged(input({ base, local, remote }, { conflictWinner: winner }));
      expect(result.target.map((t) => [t.id, t.parentId])).toEqual([
        ['a', null],
        ['b', 'a'],
        ['e', 'a'],
        ['c', null],
      ]);
      expect(result.remote).toEqual([{ op: 'move', id: 'e', parent: 'a', after: 'b' }]);
      expect(result.local).toEqual([]);
      expect(result.moveConflicts).toEqual([]);
    }
  });

  it('one-sided reorders on both sides both take effect', () => {
    const base = '- [a] A\n- [b] B\n- [c] C\n- [d] D';
    const local = '- [b] B\n- [c] C\n- [d] D\n- [a] A';
    const remote = '- [d] D\n- [a] A\n- [b] B\n- [c] C';
    const result = converged(input({ base, local, remote }));
    expect(result.target.map((t) => t.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('a task moved differently on both sides goes where the winner put it, and the report says so', () => {
    const local = BASE.replace('  - [c] Gamma\n', '').replace('- [d] Delta', '- [d] Delta\n  - [c] Gamma');
    const remote = BASE.replace('  - [c] Gamma\n', '') + '- [c] Gamma\n';
    const result = converged(input({ base: BASE, local, remote }));
    expect(result.target.find((t) => t.id === 'c')!.parentId).toBe(null);
    expect(result.moveConflicts).toEqual([
      {
        taskId: 'c',
        base: { parent: 'a', after: 'b' },
        local: { parent: 'd', after: null },
        remote: { parent: null, after: 'd' },
        winner: 'remote',
      },
    ]);
  });

  it('moves that would close a loop (A under B here, B under A there) keep one side’s move', () => {
    const base = '- [a] A\n- [b] B';
    const local = '- [b] B\n  - [a] A';
    const remote = '- [a] A\n  - [b] B';
    for (const winner of ['local', 'remote'] as const) {
      const result = converged(input({ base, local, remote }, { conflictWinner: winner }));
      expect(result.target.map((t) => [t.id, t.parentId])).toEqual(
        winner === 'remote'
          ? [
              ['a', null],
              ['b', 'a'],
            ]
          : [
              ['b', null],
              ['a', 'b'],
            ],
      );
    }
  });
});

describe('deletes', () => {
  it('a subtree deleted locally and untouched remotely is one remote delete', () => {
    const result = converged(input({ base: BASE, local: '- [d] Delta', remote: BASE }));
    expect(result.remote).toEqual([{ op: 'delete', id: 'a' }]);
    expect(result.local).toEqual([]);
  });

  it('a task deleted remotely and untouched locally is removed from the file', () => {
    const remote = BASE.replace('  - [c] Gamma\n', '');
    const result = converged(input({ base: BASE, local: BASE, remote }));
    expect(result.local).toEqual([{ type: 'remove', key: 'c' }]);
  });

  it('deleted on both sides: nothing to do, and gone from the target', () => {
    const gone = BASE.replace('- [d] Delta\n', '');
    const result = converged(input({ base: BASE, local: gone, remote: gone }));
    expect(result).toMatchObject({ remote: [], local: [] });
    expect(result.target.map((t) => t.id)).toEqual(['a', 'b', 'c']);
  });

  it('deleted remotely but edited locally: it comes back remotely as a new task with its parent', () => {
    const local = BASE.replace('[c] Gamma', '[c] Gamma edited');
    const result = converged(input({ base: BASE, local, remote: '- [d] Delta' }));
    expect(result.restored).toEqual([
      { id: 'a', ref: 'new:a' },
      { id: 'c', ref: 'new:c' },
    ]);
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:a', parent: null, after: null, kind: 'task', text: 'Alpha' },
      { op: 'create', ref: 'new:c', parent: 'new:a', after: null, kind: 'task', text: 'Gamma edited' },
    ]);
    // The unedited sibling follows the remote delete.
    expect(result.local).toEqual([{ type: 'remove', key: 'b' }]);
    expect(result.target.map((t) => t.id)).toEqual(['new:a', 'new:c', 'd']);
  });

  it('deleted locally but edited remotely: it comes back into the file with its Taskade id', () => {
    const remote = BASE.replace('[b] Beta', '[b] Beta | done');
    const result = converged(input({ base: BASE, local: '- [d] Delta', remote }));
    expect(result.local).toEqual([
      {
        type: 'insert',
        item: {
          key: 'remote:a',
          id: 'a',
          kind: 'task',
          values: { text: 'Alpha', completed: false, note: null, due: null, assignees: [] },
          children: [
            {
              key: 'remote:b',
              id: 'b',
              kind: 'task',
              values: { text: 'Beta', completed: true, note: null, due: null, assignees: [] },
              children: [],
            },
          ],
        },
        parent: null,
        after: null,
      },
    ]);
    expect(result.remote).toEqual([{ op: 'delete', id: 'c' }]);
  });

  it('a subtree moved under a node the other side deleted is kept, and the node restored', () => {
    const local = `
- [a] Alpha
  - [b] Beta
  - [c] Gamma
    - [d] Delta
`;
    const remote = '- [a] Alpha\n  - [b] Beta\n- [d] Delta';
    const result = converged(input({ base: BASE, local, remote }));
    expect(result.restored).toEqual([{ id: 'c', ref: 'new:c' }]);
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:c', parent: 'a', after: 'b', kind: 'task', text: 'Gamma' },
      { op: 'move', id: 'd', parent: 'new:c', after: null },
    ]);
  });
});

describe('creates', () => {
  it('new local items are created parents first, siblings after their anchors, values set on the ref', () => {
    const local = `${BASE}- [new:x] X | done note=n
  - [new:y] Y | @cy due=2026-05-05
  - [new:z] Z
`;
    const result = converged(input({ base: BASE, local, remote: BASE }));
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:x', parent: null, after: 'd', kind: 'task', text: 'X' },
      { op: 'set-completed', id: 'new:x', completed: true },
      { op: 'set-note', id: 'new:x', note: 'n' },
      { op: 'create', ref: 'new:y', parent: 'new:x', after: null, kind: 'task', text: 'Y' },
      { op: 'set-due', id: 'new:y', due: { date: '2026-05-05', time: null, timezone: null } },
      { op: 'set-assignees', id: 'new:y', assignees: ['cy'], previous: [] },
      { op: 'create', ref: 'new:z', parent: 'new:x', after: 'new:y', kind: 'task', text: 'Z' },
    ]);
    // The engine writes the ids back once it knows them.
    expect(result.local).toEqual([]);
  });

  it('new remote tasks are inserted with their ids and subtree; they are tasks, not sections', () => {
    const remote = `${BASE}  - [e] Echo\n    - [f] Foxtrot`;
    const result = converged(input({ base: BASE, local: BASE, remote }));
    expect(result.local).toEqual([
      {
        type: 'insert',
        item: {
          key: 'remote:e',
          id: 'e',
          kind: 'task',
          values: { text: 'Echo', completed: false, note: null, due: null, assignees: [] },
          children: [
            {
              key: 'remote:f',
              id: 'f',
              kind: 'task',
              values: { text: 'Foxtrot', completed: false, note: null, due: null, assignees: [] },
              children: [],
            },
          ],
        },
        parent: 'd',
        after: null,
      },
    ]);
  });

  it('a section keeps its kind (local knowledge) and is created as a plain task with that kind', () => {
    const local = '- [s] Next | section\n  - [new:x] X | section';
    const result = converged(input({ base: '- [s] Next | section', local, remote: '- [s] Next' }));
    expect(result.target.map((t) => t.kind)).toEqual(['section', 'section']);
    expect(result.remote[0]).toMatchObject({ op: 'create', kind: 'section' });
  });

  it('an item whose id Taskade does not know is a new task', () => {
    const result = converged(input({ base: BASE, local: `${BASE}- [zzz] Stale id`, remote: BASE }));
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:zzz', parent: null, after: 'd', kind: 'task', text: 'Stale id' },
    ]);
  });

  it('a duplicated id (copy-paste) makes the second item a new task, never a second owner', () => {
    const local = BASE.replace('- [d] Delta', '- [d] Delta\n- [d] Delta');
    const i = input({ base: BASE, local, remote: BASE });
    i.local[4] = { ...i.local[4]!, key: 'd2' };
    const result = converged(i);
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:d2', parent: null, after: 'd', kind: 'task', text: 'Delta' },
    ]);
  });
});

describe('no journal', () => {
  it('items on both sides are linked by content, the rest is added on both sides, nothing is deleted', () => {
    const local = `
- [new:k1] Alpha
  - [new:k2] Beta
  - [new:k3] Only here
- [new:k4] Delta
`;
    const result = converged(input({ base: null, local, remote: `${BASE}- [e] Only there` }));
    expect(result.remote).toEqual([
      { op: 'create', ref: 'new:k3', parent: 'a', after: 'b', kind: 'task', text: 'Only here' },
    ]);
    expect(result.local).toEqual([
      { type: 'set-id', key: 'k1', id: 'a' },
      { type: 'set-id', key: 'k2', id: 'b' },
      expect.objectContaining({
        type: 'insert',
        parent: 'k1',
        after: 'k3',
        item: expect.objectContaining({ id: 'c' }),
      }),
      { type: 'set-id', key: 'k4', id: 'd' },
      expect.objectContaining({
        type: 'insert',
        parent: null,
        after: 'k4',
        item: expect.objectContaining({ id: 'e' }),
      }),
    ]);
    expect(result.stats.deletes).toBe(0);
  });

  it('ids in the text link items without a journal; differing fields are conflicts for the winner', () => {
    const local = BASE.replace('[b] Beta', '[b] Beta (file)');
    const result = converged(input({ base: null, local, remote: BASE }));
    expect(result.conflicts).toEqual([
      { taskId: 'b', field: 'text', base: null, local: 'Beta (file)', remote: 'Beta', winner: 'remote' },
    ]);
    expect(result.local).toEqual([
      { type: 'update', key: 'b', values: { text: 'Beta' } },
      { type: 'set-conflicts', key: 'b', conflicts: [{ field: 'text', value: 'Beta (file)' }] },
    ]);
  });
});

describe('options', () => {
  it.each([
    [
      { conflictWinner: 'server' },
      "Unexpected value `\"server\"` for `options.conflictWinner`, expected 'local' or 'remote'",
    ],
    [
      { deleteGuard: { share: 1.5, min: 5 } },
      'Unexpected value `1.5` for `options.deleteGuard.share`, expected a number from 0 to 1',
    ],
    [
      { deleteGuard: { share: 0.5, min: -1 } },
      'Unexpected value `-1` for `options.deleteGuard.min`, expected a whole number ≥ 0',
    ],
  ])('a bad option %j is a TypeError naming it', (bad, message) => {
    // Deliberately ill-typed: this is what an unchecked caller could pass.
    const i = input({ base: BASE, local: BASE, remote: BASE }, bad as never);
    expect(() => plan(i)).toThrow(new TypeError(message));
  });
});

describe('safety guards', () => {
  const big = Array.from({ length: 10 }, (_, i) => `- [t${i}] Task ${i}`).join('\n');
  const kept = big.split('\n').slice(0, 4).join('\n');

  it('more than half of the project deleted in one run stops the run', () => {
    const result = plan(input({ base: big, local: kept, remote: big }));
    expect(result.guard).toEqual({ reason: 'mass-delete', side: 'remote', deletes: 6, total: 10 });
    expect(result).toMatchObject({ remote: [], local: [] });
  });

  it('--force lets the same run through, still reporting the guard', () => {
    const result = plan(input({ base: big, local: kept, remote: big }, { force: true }));
    expect(result.guard).not.toBeNull();
    expect(result.stats.deletes).toBe(6);
  });

  it('fewer deletes than the minimum pass, even above the share', () => {
    const result = plan(
      input({ base: '- [a] A\n- [b] B\n- [c] C', local: '- [a] A', remote: '- [a] A\n- [b] B\n- [c] C' }),
    );
    expect(result.guard).toBeNull();
    expect(result.stats.deletes).toBe(2);
  });

  it('a side suddenly empty while the base is not stops the run', () => {
    const result = plan(input({ base: BASE, local: '', remote: BASE }));
    expect(result.guard).toEqual({ reason: 'empty-side', side: 'local', deletes: 4, total: 4 });
    expect(result).toMatchObject({ remote: [], local: [] });
  });
});
