import { describe, expect, it } from 'vitest';
import { safeSegment, localView } from '../../src/engine/index.js';
import { adoptIntents, nextBase } from '../../src/reconcile/index.js';
import { RemoteMirror } from '../../src/engine/remote-mirror.js';
import type { Intent } from '../../src/journal/index.js';
import { parseOutline } from '../../src/markdown/index.js';
import type { TaskRecord } from '../../src/model/task.js';
import type { LocalTask, RemoteOp } from '../../src/reconcile/index.js';
import { task, unreadRemote } from '../support/records.js';

const rec = (id: string, parentId: string | null, text = id, extra: Partial<TaskRecord> = {}): TaskRecord =>
  task(id, parentId, { text, ...extra });
const remoteRec = unreadRemote;
const local = (id: string, parentId: string | null, text: string, key = id): LocalTask => ({
  ...rec(id, parentId, text),
  key,
  conflicts: [],
});
const intent = (id: number, ref: string, parentId: string | null, text: string): Intent => ({
  id,
  projectId: 'P',
  ref,
  parentId,
  afterId: null,
  text,
  batch: 'b',
  at: 0,
});

describe('nextBase: nothing journaled for what failed', () => {
  const base = [rec('A', null), rec('B', null), rec('C', null)];
  const remote = base.map(remoteRec);

  it('is the target, with created refs under their Taskade ids, when everything succeeded', () => {
    const target = [rec('A', null, 'A2'), rec('new:x', 'A', 'x'), rec('B', null), rec('C', null)];
    expect(nextBase({ target, oldBase: base, remote, created: new Map([['new:x', 'X']]), failed: [] })).toEqual([
      rec('A', null, 'A2'),
      rec('X', 'A', 'x'),
      rec('B', null),
      rec('C', null),
    ]);
  });

  it('keeps what Taskade holds for a field whose request failed', () => {
    const target = [rec('A', null, 'A (edited)', { completed: true }), rec('B', null), rec('C', null)];
    const failed: RemoteOp[] = [{ op: 'update-text', id: 'A', text: 'A (edited)' }];
    expect(nextBase({ target, oldBase: base, remote, created: new Map(), failed })[0]).toEqual(
      rec('A', null, 'A', { completed: true }),
    );
  });

  it('keeps a task whose delete failed, where Taskade has it', () => {
    const target = [rec('A', null), rec('C', null)];
    const failed: RemoteOp[] = [{ op: 'delete', id: 'B' }];
    expect(nextBase({ target, oldBase: base, remote, created: new Map(), failed }).map((r) => r.id)).toEqual([
      'A',
      'B',
      'C',
    ]);
  });

  it('keeps a task whose delete failed after the tasks the run created before it on Taskade', () => {
    // The file deleted A and added N at the top; N was created before A (A was still there).
    const target = [rec('new:k', null, 'N'), rec('B', null), rec('C', null)];
    const lists = new RemoteMirror([
      { id: 'N1', parentId: null },
      { id: 'A', parentId: null },
      { id: 'B', parentId: null },
      { id: 'C', parentId: null },
    ]);
    const next = nextBase({
      target,
      oldBase: base,
      remote: base.map(remoteRec),
      created: new Map([['new:k', 'N1']]),
      failed: [{ op: 'delete', id: 'A' }],
      lists,
    });
    expect(next.map((t) => t.id)).toEqual(['N1', 'A', 'B', 'C']);
  });

  it('leaves a task whose move failed where Taskade has it', () => {
    const target = [rec('C', null), rec('A', null), rec('B', null)];
    const failed: RemoteOp[] = [{ op: 'move', id: 'C', parent: null, after: null }];
    expect(nextBase({ target, oldBase: base, remote, created: new Map(), failed }).map((r) => r.id)).toEqual([
      'A',
      'B',
      'C',
    ]);
  });

  it('leaves out a create that failed, with its subtree; a fresh task whose completion failed is open', () => {
    const target = [
      rec('A', null),
      rec('new:x', null, 'x'),
      rec('new:y', 'new:x', 'y'),
      rec('new:z', null, 'z', { completed: true }),
    ];
    const failed: RemoteOp[] = [
      { op: 'create', ref: 'new:x', parent: null, after: 'A', kind: 'task', text: 'x' },
      { op: 'set-completed', id: 'new:z', completed: true },
    ];
    const out = nextBase({ target, oldBase: base, remote, created: new Map([['new:z', 'Z']]), failed });
    expect(out).toEqual([rec('A', null), rec('Z', null, 'z', { completed: false })]);
  });
});

describe('adoptIntents: a lost create is adopted, not created again', () => {
  const remote = [
    { id: 'A', parentId: null, text: 'A', completed: false },
    { id: 'N1', parentId: 'A', text: 'new child', completed: false },
  ];

  it('matches by parent and text, gives the local item the Taskade id, and adds the fresh task to the base', () => {
    const base = [rec('A', null)];
    const locals = [
      local('A', null, 'A'),
      local('new:line:7', 'A', 'new child', 'line:7'),
      local('new:line:8', 'new:line:7', 'grandchild', 'line:8'),
    ];
    const r = adoptIntents([intent(1, 'new:line:7', 'A', 'new child')], remote, base, locals);
    expect(r.adoptions).toEqual([expect.objectContaining({ taskId: 'N1', localKey: 'line:7' })]);
    expect(r.local.map((t) => [t.id, t.parentId])).toEqual([
      ['A', null],
      ['N1', 'A'],
      ['new:line:8', 'N1'],
    ]);
    expect(r.base).toEqual([rec('A', null), rec('N1', 'A', 'new child')]);
  });

  it('drops an intent whose create never reached Taskade', () => {
    const r = adoptIntents([intent(1, 'new:line:3', 'A', 'never sent')], remote, [rec('A', null)], []);
    expect(r.dropped.map((i) => i.id)).toEqual([1]);
    expect(r.adoptions).toEqual([]);
  });

  it('adopts an answered create by its id, with the values its run left on Taskade as the base', () => {
    const answered: Intent = {
      ...intent(1, 'new:line:7', 'A', 'new child'),
      answer: {
        taskId: 'N1',
        record: {
          ...rec('N1', 'A', 'new child', {
            due: { date: '2026-12-20', time: null, timezone: null },
            assignees: ['alice'],
          }),
          id: undefined,
        } as never,
      },
    };
    // Taskade's copy has been renamed and moved since: still that task, and the rename is Taskade's change.
    const moved = [
      { id: 'A', parentId: null, text: 'A', completed: false },
      { id: 'N1', parentId: null, text: 'renamed on Taskade', completed: false },
    ];
    const r = adoptIntents(
      [answered],
      moved,
      [rec('A', null)],
      [local('A', null, 'A'), local('new:line:7', 'A', 'new child', 'line:7')],
    );
    expect(r.adoptions).toEqual([expect.objectContaining({ taskId: 'N1', localKey: 'line:7' })]);
    expect(r.base).toEqual([
      rec('A', null),
      rec('N1', null, 'new child', { due: { date: '2026-12-20', time: null, timezone: null }, assignees: ['alice'] }),
    ]);
  });

  it('drops an answered create whose task is gone from Taskade', () => {
    const answered: Intent = {
      ...intent(1, 'new:line:7', 'A', 'new child'),
      answer: { taskId: 'GONE', record: { ...rec('x', 'A', 'new child'), id: undefined } as never },
    };
    const r = adoptIntents([answered], remote, [rec('A', null)], [local('new:line:7', 'A', 'new child', 'line:7')]);
    expect(r.dropped.map((i) => i.id)).toEqual([1]);
    expect(r.adoptions).toEqual([]);
  });

  it('never adopts a task the base already knows', () => {
    const r = adoptIntents(
      [intent(1, 'new:line:3', 'A', 'new child')],
      remote,
      [rec('A', null), rec('N1', 'A', 'new child')],
      [],
    );
    expect(r.adoptions).toEqual([]);
    expect(r.dropped).toHaveLength(1);
  });

  it('a task restored after a delete in Taskade (its item keeps the old id) is adopted by its item', () => {
    // OLD {OC} deleted in Taskade, the file kept them (a child added under OC): created again as
    // new:line:5 {new:line:6}, applied, the process died before the file named the new tasks.
    const remote2 = [
      { id: 'R1', parentId: null, text: 'old', completed: false },
      { id: 'R2', parentId: 'R1', text: 'old child', completed: false },
    ];
    const base = [rec('OLD', null, 'old'), rec('OC', 'OLD', 'old child')];
    const locals = [
      local('OLD', null, 'old', 'line:5'),
      local('OC', 'OLD', 'old child', 'line:6'),
      local('new:line:7', 'OC', 'added', 'line:7'),
    ];
    const r = adoptIntents(
      [intent(1, 'new:line:5', null, 'old'), intent(2, 'new:line:6', 'R1', 'old child')],
      remote2,
      base,
      locals,
    );
    expect(r.adoptions.map((a) => [a.taskId, a.localKey])).toEqual([
      ['R1', 'line:5'],
      ['R2', 'line:6'],
    ]);
    expect(r.local.map((t) => [t.id, t.parentId])).toEqual([
      ['R1', null],
      ['R2', 'R1'],
      ['new:line:7', 'R2'],
    ]);
    // The re-creates take their old rows' places in the base (fresh values), so nothing under them moved.
    expect(r.base).toEqual([rec('R1', null, 'old'), rec('R2', 'R1', 'old child')]);
  });

  it("a restored task's re-create is its old row in the base: a child the file left alone has not moved", () => {
    // P {K, D} deleted in Taskade; the file edited K, so P and K are restored; the process died as
    // P's re-create (R) was applied. D, unchanged in the file, keeps its base parent: R.
    const base = [rec('P', null, 'p'), rec('K', 'P', 'k'), rec('D', 'P', 'd')];
    const locals = [
      local('P', null, 'p', 'line:1'),
      local('K', 'P', 'k edited', 'line:2'),
      local('D', 'P', 'd', 'line:3'),
    ];
    const r = adoptIntents(
      [intent(1, 'new:line:1', null, 'p')],
      [{ id: 'R', parentId: null, text: 'p', completed: false }],
      base,
      locals,
    );
    expect(r.local.map((t) => [t.id, t.parentId])).toEqual([
      ['R', null],
      ['K', 'R'],
      ['D', 'R'],
    ]);
    expect(r.base).toEqual([rec('R', null, 'p'), rec('K', 'R', 'k'), rec('D', 'R', 'd')]);
  });

  it('a restored task the file edited keeps its old row: its children, under the re-create in the file, come back', async () => {
    // The same, but the file edited P itself: P comes back with its whole subtree, so D's base
    // parent stays P (D, under R in the file, has moved there: kept against the delete).
    const base = [rec('P', null, 'p'), rec('K', 'P', 'k'), rec('D', 'P', 'd')];
    const locals = [
      local('P', null, 'p edited', 'line:1'),
      local('K', 'P', 'k', 'line:2'),
      local('D', 'P', 'd', 'line:3'),
    ];
    const r = adoptIntents(
      [intent(1, 'new:line:1', null, 'p edited')],
      [{ id: 'R', parentId: null, text: 'p edited', completed: false }],
      base,
      locals,
    );
    expect(r.local.map((t) => [t.id, t.parentId])).toEqual([
      ['R', null],
      ['K', 'R'],
      ['D', 'R'],
    ]);
    expect(r.base).toEqual([rec('R', null, 'p edited'), ...base]);
  });
});

describe('localView', () => {
  it('resolves short ids against known ids; an unresolvable or repeated one makes a new item', () => {
    const ids = ['099630d4-267e-4b22-894b-08b69f3a4d79', '861d426a-6366-41c6-8452-810b07995b6c'];
    const outline = parseOutline(
      '- [ ] one ^tk-099630d4\n  - [ ] two ^tk-861d426a\n- [ ] three ^tk-deadbeef\n- [ ] four\n',
    );
    const v = localView(outline, ids);
    expect(v.tasks.map((t) => [t.id, t.parentId])).toEqual([
      [ids[0], null],
      [ids[1], ids[0]],
      [expect.stringMatching(/^new:/), null],
      [expect.stringMatching(/^new:/), null],
    ]);
  });
});

describe('safeSegment', () => {
  it.each([
    ['../../x', 'x'],
    ['a/b', 'a-b'],
    ['CON', 'CON_'],
    ['lpt1.txt', 'lpt1_.txt'], // Windows opens LPT1 for lpt1.txt_ as well: the mark goes on the name, before the dot
    ['...', 'untitled'],
    ['', 'untitled'],
    ['trailing. ', 'trailing'],
    ['tab\there', 'tab here'],
    ['🚀 Launch', '🚀 Launch'],
  ])('%j → %j', (name, safe) => {
    expect(safeSegment(name)).toBe(safe);
  });

  it('cuts long names to 120 bytes on a code point', () => {
    const s = safeSegment('🚀'.repeat(100));
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(120);
    expect(s).toBe('🚀'.repeat(30));
  });
});
