import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/simulator/api-error.js';
import { Store, type Position } from '../../src/simulator/store.js';
import { fcParams } from '../support/fc.js';

/**
 * The store's tree operations against an independent model: the outline as a flat pre-order
 * list of [id, depth], where a subtree is a contiguous run and every DOM position is a splice.
 * Same operations, same outcome (including which operations are refused).
 */
type Row = [id: string, depth: number];

class OutlineModel {
  rows: Row[];
  constructor(rootId: string) {
    this.rows = [[rootId, -1]];
  }

  private index(id: string): number {
    return this.rows.findIndex(([r]) => r === id);
  }

  /** End (exclusive) of the run holding `id` and its descendants. */
  private subtreeEnd(i: number): number {
    const depth = (this.rows[i] as Row)[1];
    let j = i + 1;
    while (j < this.rows.length && (this.rows[j] as Row)[1] > depth) j++;
    return j;
  }

  private place(block: Row[], anchorId: string, position: Position): void {
    const a = this.index(anchorId);
    const depth = (this.rows[a] as Row)[1];
    const at = { beforebegin: a, afterbegin: a + 1, beforeend: this.subtreeEnd(a), afterend: this.subtreeEnd(a) }[
      position
    ];
    const target = position === 'afterbegin' || position === 'beforeend' ? depth + 1 : depth;
    const base = (block[0] as Row)[1];
    this.rows.splice(at, 0, ...block.map(([id, d]): Row => [id, d - base + target]));
  }

  insert(id: string, anchorId: string, position: Position): void {
    this.place([[id, 0]], anchorId, position);
  }

  move(id: string, anchorId: string, position: Position): void {
    const i = this.index(id);
    const block = this.rows.splice(i, this.subtreeEnd(i) - i);
    this.place(block, anchorId, position);
  }

  remove(id: string): void {
    const i = this.index(id);
    this.rows.splice(i, this.subtreeEnd(i) - i);
  }

  isInside(id: string, ancestorId: string): boolean {
    const i = this.index(ancestorId);
    const j = this.index(id);
    return j >= i && j < this.subtreeEnd(i);
  }
}

const POSITIONS: readonly Position[] = ['beforebegin', 'afterbegin', 'beforeend', 'afterend'];
const step = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), anchor: fc.nat(), position: fc.constantFrom(...POSITIONS) }),
  fc.record({
    kind: fc.constant('move' as const),
    task: fc.nat(),
    anchor: fc.nat(),
    position: fc.constantFrom(...POSITIONS),
  }),
  fc.record({ kind: fc.constant('remove' as const), task: fc.nat() }),
);

function refused(run: () => void): boolean {
  try {
    run();
    return false;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 400) return true;
    throw error;
  }
}

describe('the store against a flat-outline model', () => {
  it('agrees on every outline after any sequence of inserts, moves and subtree deletes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const store = new Store();
        const ws = store.addWorkspace({ name: 'W' });
        const { project } = store.createProject({ folderId: ws.id, name: 'P' });
        const model = new OutlineModel(project.rootId);
        for (const s of steps) {
          const ids = store.preorder(project);
          const anchor = 'anchor' in s ? (ids[s.anchor % ids.length] as string) : '';
          const rootSibling =
            anchor === project.rootId &&
            s.kind !== 'remove' &&
            (s.position === 'beforebegin' || s.position === 'afterend');
          if (s.kind === 'insert') {
            const wasRefused = refused(() => {
              const node = store.insert(project, anchor, s.position, 'x');
              model.insert(node.id, anchor, s.position);
            });
            expect(wasRefused).toBe(rootSibling);
          } else if (s.kind === 'move') {
            const task = ids[s.task % ids.length] as string;
            const expectRefusal = task === project.rootId || rootSibling || model.isInside(anchor, task);
            const wasRefused = refused(() => store.move(project, task, anchor, s.position));
            expect(wasRefused).toBe(expectRefusal);
            if (!wasRefused) model.move(task, anchor, s.position);
          } else {
            const task = ids[s.task % ids.length] as string;
            const wasRefused = refused(() => store.deleteSubtree(project, task));
            expect(wasRefused).toBe(task === project.rootId);
            if (!wasRefused) model.remove(task);
          }
          const depth = (id: string): number => {
            let d = -1;
            for (
              let p = project.nodes.get(id)?.parentId ?? null;
              p !== null;
              p = project.nodes.get(p)?.parentId ?? null
            )
              d++;
            return d;
          };
          expect(store.preorder(project).map((id): Row => [id, depth(id)])).toEqual(model.rows);
        }
      }),
      fcParams(200),
    );
  });
});
