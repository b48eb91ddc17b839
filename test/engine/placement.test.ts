import { describe, expect, it } from 'vitest';
import { createPlacement, moveTarget, RemoteMirror } from '../../src/engine/index.js';

const tree = () =>
  new RemoteMirror([
    { id: 'A', parentId: null },
    { id: 'A1', parentId: 'A' },
    { id: 'B', parentId: null },
  ]);

describe('createPlacement: only order-keeping placements', () => {
  it('appends with beforeend when nothing follows the insertion point', () => {
    expect(createPlacement(tree(), null, 'B')).toEqual({ placement: 'beforeend', anchor: null });
    expect(createPlacement(tree(), 'A', 'A1')).toEqual({ placement: 'beforeend', anchor: 'A' });
    expect(createPlacement(tree(), 'A1', null)).toEqual({ placement: 'beforeend', anchor: 'A1' });
  });

  it('inserts before the sibling that should follow otherwise', () => {
    expect(createPlacement(tree(), null, null)).toEqual({ placement: 'beforebegin', anchor: 'A' });
    expect(createPlacement(tree(), null, 'A')).toEqual({ placement: 'beforebegin', anchor: 'B' });
    expect(createPlacement(tree(), 'A', null)).toEqual({ placement: 'beforebegin', anchor: 'A1' });
  });
});

describe('moveTarget', () => {
  it('uses afterend of the previous sibling, afterbegin of the parent, or beforebegin of the first top-level task', () => {
    expect(moveTarget(tree(), 'A1', null, 'B', null)).toEqual({ taskId: 'B', position: 'afterend' });
    expect(moveTarget(tree(), 'B', 'A', null, null)).toEqual({ taskId: 'A', position: 'afterbegin' });
    expect(moveTarget(tree(), 'A1', null, null, null)).toEqual({ taskId: 'A', position: 'beforebegin' });
  });

  it('falls back to the root node for the top of a project with no other top-level task', () => {
    const m = new RemoteMirror([{ id: 'only', parentId: null }]);
    expect(moveTarget(m, 'only', null, null, 'ROOT')).toEqual({ taskId: 'ROOT', position: 'afterbegin' });
  });
});

describe('RemoteMirror', () => {
  it('follows inserts, moves and subtree removals', () => {
    const m = tree();
    m.insert('C', null, 'A');
    expect(m.siblings(null)).toEqual(['A', 'C', 'B']);
    m.move('B', 'A', null);
    expect(m.siblings('A')).toEqual(['B', 'A1']);
    m.remove('A');
    expect(m.siblings(null)).toEqual(['C']);
    // The subtree went with it: nothing is left under A.
    expect(m.siblings('A')).toEqual([]);
  });
});
