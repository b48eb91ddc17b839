import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fcParams } from '../support/fc.js';
import { startCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';
import { api } from '../simulator/api.js';

/**
 * Random sessions of spec-valid requests against one checked simulator, under random switch
 * settings. Whatever the simulator answers (200 or a semantic 4xx such as a move into its own
 * subtree) must match the spec's response schema, and the task list must stay a well-formed
 * pre-order outline that pages identically forward and backward.
 */

interface Item {
  id: string;
  text?: string;
  parentId?: string;
}

const POSITIONS = ['beforebegin', 'afterbegin', 'beforeend', 'afterend'] as const;
const pick = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

const op = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    anchor: fc.option(fc.nat(), { nil: undefined }),
    placements: fc.array(fc.constantFrom(...POSITIONS), { minLength: 1, maxLength: 3 }),
    text: fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, ' ')),
  }),
  fc.record({
    kind: fc.constant('move' as const),
    task: fc.nat(),
    anchor: fc.nat(),
    position: fc.constantFrom(...POSITIONS),
  }),
  fc.record({ kind: fc.constant('delete' as const), task: fc.nat() }),
  fc.record({ kind: fc.constantFrom('complete' as const, 'uncomplete' as const), task: fc.nat() }),
  fc.record({
    kind: fc.constant('text' as const),
    task: fc.nat(),
    text: fc.constantFrom('renamed', '**bold** [l](u)', ''),
  }),
  fc.record({ kind: fc.constant('note' as const), task: fc.nat(), action: fc.constantFrom('GET', 'PUT', 'DELETE') }),
  fc.record({ kind: fc.constant('date' as const), task: fc.nat(), action: fc.constantFrom('GET', 'PUT', 'DELETE') }),
  fc.record({
    kind: fc.constant('assignees' as const),
    task: fc.nat(),
    action: fc.constantFrom('GET', 'PUT', 'DELETE'),
  }),
  fc.record({ kind: fc.constant('get' as const), task: fc.nat() }),
);

const behaviours = fc.record({
  rootNode: fc.boolean(),
  strictCompletion: fc.boolean(),
  missingSubresource404: fc.boolean(),
  partialWriteResponses: fc.boolean(),
  textMode: fc.constantFrom('markdown' as const, 'plain' as const),
});

async function fullList(s: CheckedSimulator, projectId: string): Promise<Item[]> {
  return (await api(s, 'GET', `/projects/${projectId}/tasks?limit=1000`)).body.items;
}

/** Pre-order check: each item's parent is the previous item or one of its ancestors. */
function isPreorder(items: Item[], rootNode: boolean): boolean {
  const stack: string[] = [];
  for (const [i, item] of items.entries()) {
    if (item.parentId === undefined) {
      if (rootNode && i !== 0) return false;
      stack.length = 0;
    } else {
      while (stack.length > 0 && stack[stack.length - 1] !== item.parentId) stack.pop();
      if (stack.length === 0) return false;
    }
    stack.push(item.id);
  }
  return true;
}

describe('random sessions against the simulator', () => {
  let s: CheckedSimulator;
  beforeAll(async () => {
    s = await startCheckedSimulator();
  });
  afterAll(async () => {
    await s.close();
  });

  it('every response matches the spec and the outline stays a pre-order that pages the same both ways', async () => {
    await fc.assert(
      fc.asyncProperty(
        behaviours,
        fc.array(op, { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (b, ops, pageSize) => {
          s.resetState();
          s.setBehaviours(b);
          const { projectId } = s.seedProject({
            name: 'R',
            tasks: [{ text: 'a', children: [{ text: 'a1' }] }, { text: 'b' }],
          });
          const base = `/projects/${projectId}/tasks`;
          for (const o of ops) {
            const tasks = (await fullList(s, projectId)).map((i) => i.id);
            const task = 'task' in o ? pick(tasks, o.task) : undefined;
            switch (o.kind) {
              case 'create': {
                const anchor = o.anchor === undefined ? undefined : pick(tasks, o.anchor);
                const elements = o.placements.map((placement) =>
                  anchor === undefined
                    ? {
                        contentType: 'text/markdown',
                        content: o.text,
                        placement: placement === 'afterbegin' ? 'afterbegin' : 'beforeend',
                      }
                    : { contentType: 'text/markdown', content: o.text, placement, taskId: anchor },
                );
                await api(s, 'POST', `${base}/`, { tasks: elements });
                break;
              }
              case 'move':
                if (task !== undefined) {
                  await api(s, 'PUT', `${base}/${task}/move`, {
                    target: { taskId: pick(tasks, o.anchor), position: o.position },
                  });
                }
                break;
              case 'delete':
                if (task !== undefined) await api(s, 'DELETE', `${base}/${task}`);
                break;
              case 'complete':
              case 'uncomplete':
                if (task !== undefined) await api(s, 'POST', `${base}/${task}/${o.kind}`, {});
                break;
              case 'text':
                if (task !== undefined)
                  await api(s, 'PUT', `${base}/${task}`, { contentType: 'text/markdown', content: o.text });
                break;
              case 'note':
                if (task !== undefined)
                  await api(
                    s,
                    o.action,
                    `${base}/${task}/note`,
                    o.action === 'PUT' ? { type: 'text/markdown', value: 'n' } : undefined,
                  );
                break;
              case 'date':
                if (task !== undefined) {
                  await api(
                    s,
                    o.action,
                    `${base}/${task}/date`,
                    o.action === 'PUT' ? { start: { date: '2026-01-02', time: '10:00', timezone: null } } : undefined,
                  );
                }
                break;
              case 'assignees':
                if (task !== undefined) {
                  const path = o.action === 'DELETE' ? `${base}/${task}/assignees/alice` : `${base}/${task}/assignees`;
                  await api(s, o.action, path, o.action === 'PUT' ? { handles: ['alice', 'dora'] } : undefined);
                }
                break;
              case 'get':
                if (task !== undefined) await api(s, 'GET', `${base}/${task}`);
                break;
            }
          }
          s.assertNoViolations();

          const all = await fullList(s, projectId);
          expect(isPreorder(all, b.rootNode)).toBe(true);
          const forward: Item[] = [];
          for (let after: string | undefined; ;) {
            const page: Item[] = (
              await api(s, 'GET', `${base}?limit=${pageSize}${after === undefined ? '' : `&after=${after}`}`)
            ).body.items;
            forward.push(...page);
            if (page.length < pageSize) break;
            after = page[page.length - 1]?.id;
          }
          expect(forward).toEqual(all);
          const last = all[all.length - 1];
          if (last !== undefined) {
            const backward: Item[] = [last];
            for (let before = last.id; ;) {
              const page: Item[] = (await api(s, 'GET', `${base}?limit=${pageSize}&before=${before}`)).body.items;
              if (page.length === 0) break;
              backward.unshift(...page);
              before = page[0]?.id as string;
            }
            expect(backward).toEqual(all);
          }
        },
      ),
      fcParams(30),
    );
  });
});
