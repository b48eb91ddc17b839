import { badRequest, notFound } from './api-error.js';
import { parseProjectMarkdown } from './markdown-outline.js';
import { presentTask, presentWrite, type Behaviours } from './present.js';
import type { ProjectState, Store, TaskNode } from './store.js';
import {
  parseAssignees,
  parseCreateTasks,
  parseDate,
  parseMove,
  parseNoBody,
  parseNote,
  parseNumberedPage,
  parseProjectCreate,
  parseSort,
  parseTaskPage,
  parseTaskUpdate,
} from './validate.js';

/**
 * The v1 routes: each is keyed by the spec's method and path template (the key used in stats and
 * fault rules) and turns a validated request into a store operation and a spec-shaped body.
 */

export interface RouteContext {
  store: Store;
  behaviours: Behaviours;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface RouteResult {
  body: unknown;
  /** True when the store changed (persistence saves after it). */
  mutated: boolean;
}

interface RouteDef {
  method: string;
  /** The path template exactly as in the spec's `paths`. */
  specRoute: string;
  handle(ctx: RouteContext): RouteResult;
}

const read = (body: unknown): RouteResult => ({ body, mutated: false });
const wrote = (body: unknown): RouteResult => ({ body, mutated: true });

function project(ctx: RouteContext): ProjectState {
  return ctx.store.project(ctx.params.projectId ?? '');
}

/** A task named in the path. The root is addressable only while it is shown, and never written. */
function pathTask(ctx: RouteContext, p: ProjectState, writing?: string): TaskNode {
  const id = ctx.params.taskId ?? '';
  if (id === p.rootId) {
    if (!ctx.behaviours.rootNode) throw notFound(`Task ${id} not found in project ${p.id}`);
    if (writing !== undefined) throw badRequest(`Task ${id} is the project's root node, which cannot be ${writing}`);
  }
  return ctx.store.node(p, id);
}

/** An anchor named in a body (create `taskId`, move `target.taskId`): 400 when not in the project. */
function anchorTask(ctx: RouteContext, p: ProjectState, id: string, key: string): TaskNode {
  const node = p.nodes.get(id);
  if (node === undefined || (id === p.rootId && !ctx.behaviours.rootNode)) {
    throw badRequest(`\`${key}\`: task ${id} is not in project ${p.id}`);
  }
  return node;
}

function presentProject(p: ProjectState): { id: string; name: string } {
  return { id: p.id, name: p.name };
}

function members(ctx: RouteContext, p: ProjectState): { handle: string; displayName?: string }[] {
  const ws = ctx.store.workspace(ctx.store.folder(p.folderId).workspaceId);
  const out = ws.members.map((m) => ({ ...m }));
  const known = new Set(out.map((m) => m.handle));
  // Handles assigned through the API become members of the project (decision: PUT assignees
  // accepts any non-empty handle, so GET members must list them for the lists to agree).
  for (const id of ctx.store.preorder(p)) {
    for (const handle of p.nodes.get(id)?.assignees ?? []) {
      if (!known.has(handle)) {
        known.add(handle);
        out.push({ handle });
      }
    }
  }
  return out;
}

function setCompletion(ctx: RouteContext, completed: boolean): RouteResult {
  parseNoBody(ctx.body);
  const p = project(ctx);
  const node = pathTask(ctx, p, completed ? 'completed' : 'uncompleted');
  if (node.completed === completed && ctx.behaviours.strictCompletion) {
    throw badRequest(`Task ${node.id} is already ${completed ? 'completed' : 'not completed'}`);
  }
  // Decision: completion does not cascade to children (unconfirmed for the real server).
  node.completed = completed;
  return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
}

function createProject(ctx: RouteContext, folderId: string, content: string): RouteResult {
  const outline = parseProjectMarkdown(content);
  const { project: p } = ctx.store.createProject({ folderId, name: outline.name, tasks: outline.tasks });
  return wrote({ ok: true, item: ctx.behaviours.partialWriteResponses ? { id: p.id } : presentProject(p) });
}

export const ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    specRoute: '/me/projects',
    handle(ctx) {
      const { limit, page } = parseNumberedPage(ctx.query, 100);
      const sort = parseSort(ctx.query);
      const all = [...ctx.store.projects.values()].sort((a, b) =>
        sort === 'viewed-desc' ? b.viewedSeq - a.viewedSeq : a.viewedSeq - b.viewedSeq,
      );
      return read({ ok: true, items: all.slice((page - 1) * limit, page * limit).map(presentProject) });
    },
  },
  {
    method: 'GET',
    specRoute: '/workspaces',
    handle(ctx) {
      const items = [...ctx.store.workspaces.values()].map((w) => ({ id: w.id, name: w.name }));
      return read({ ok: true, items });
    },
  },
  {
    method: 'GET',
    specRoute: '/workspaces/{workspaceId}/folders',
    handle(ctx) {
      const items = ctx.store.foldersOf(ctx.params.workspaceId ?? '').map((f) => ({ id: f.id, name: f.name }));
      return read({ ok: true, items });
    },
  },
  {
    method: 'GET',
    specRoute: '/folders/{folderId}/projects',
    handle(ctx) {
      return read({ ok: true, items: ctx.store.projectsIn(ctx.params.folderId ?? '').map(presentProject) });
    },
  },
  {
    method: 'POST',
    specRoute: '/projects',
    handle(ctx) {
      const input = parseProjectCreate(ctx.body, true);
      const folderId = input.folderId ?? '';
      ctx.store.folder(folderId);
      return createProject(ctx, folderId, input.content);
    },
  },
  {
    method: 'POST',
    specRoute: '/workspaces/{workspaceId}/projects',
    handle(ctx) {
      const input = parseProjectCreate(ctx.body, false);
      const ws = ctx.store.workspace(ctx.params.workspaceId ?? '');
      return createProject(ctx, ws.homeFolderId, input.content);
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}',
    handle(ctx) {
      const p = project(ctx);
      ctx.store.markViewed(p);
      return read({ ok: true, item: presentProject(p) });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/members',
    handle(ctx) {
      const { limit, page } = parseNumberedPage(ctx.query, 20);
      const p = project(ctx);
      return read({ ok: true, items: members(ctx, p).slice((page - 1) * limit, page * limit) });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/tasks',
    handle(ctx) {
      const query = parseTaskPage(ctx.query);
      const p = project(ctx);
      ctx.store.markViewed(p);
      const showRoot = ctx.behaviours.rootNode;
      const page = ctx.store.page(p, query, (id) => showRoot || id !== p.rootId);
      return read({ ok: true, items: page.map((n) => presentTask(p, n, ctx.behaviours)) });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/blocks',
    handle(ctx) {
      // Blocks: the top-level nodes (children of the root), without parentId, per the Block schema.
      const query = parseTaskPage(ctx.query, undefined);
      const p = project(ctx);
      const topLevel = new Set(ctx.store.node(p, p.rootId).children);
      const page = ctx.store.page(p, query, (id) => topLevel.has(id));
      const items = page.map((n) => {
        const { id, text, completed } = presentTask(p, n, ctx.behaviours);
        return { id, text, completed };
      });
      return read({ ok: true, items });
    },
  },
  {
    method: 'POST',
    specRoute: '/projects/{projectId}/tasks/',
    handle(ctx) {
      const inputs = parseCreateTasks(ctx.body);
      const p = project(ctx);
      // Validate every element before inserting any, so a refused request changes nothing.
      const anchors = inputs.map((input, i) => {
        if (input.taskId === null) {
          if (input.placement !== 'afterbegin' && input.placement !== 'beforeend') {
            throw badRequest(
              `\`tasks[${i}].placement\` is "${input.placement}" without an anchor task; expected "afterbegin" or "beforeend"`,
            );
          }
          return ctx.store.node(p, p.rootId);
        }
        const anchor = anchorTask(ctx, p, input.taskId, `tasks[${i}].taskId`);
        ctx.store.checkPlacement(p, anchor, input.placement);
        return anchor;
      });
      // Each element is inserted at its own anchor in array order: several afterbegin/afterend
      // elements at one anchor end up in reverse order, as CONTRACT §3.8 describes.
      const created = inputs.map((input, i) =>
        ctx.store.insert(p, (anchors[i] as TaskNode).id, input.placement, input.content),
      );
      return wrote({ ok: true, item: created.map((n) => presentWrite(p, n, ctx.behaviours)) });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/tasks/{taskId}',
    handle(ctx) {
      const p = project(ctx);
      return read({ ok: true, item: presentTask(p, pathTask(ctx, p), ctx.behaviours) });
    },
  },
  {
    method: 'PUT',
    specRoute: '/projects/{projectId}/tasks/{taskId}',
    handle(ctx) {
      const input = parseTaskUpdate(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'edited');
      node.text = input.content;
      return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
    },
  },
  {
    method: 'DELETE',
    specRoute: '/projects/{projectId}/tasks/{taskId}',
    handle(ctx) {
      parseNoBody(ctx.body);
      const p = project(ctx);
      ctx.store.deleteSubtree(p, pathTask(ctx, p, 'deleted').id);
      return wrote({ ok: true });
    },
  },
  {
    method: 'POST',
    specRoute: '/projects/{projectId}/tasks/{taskId}/complete',
    handle: (ctx) => setCompletion(ctx, true),
  },
  {
    method: 'POST',
    specRoute: '/projects/{projectId}/tasks/{taskId}/uncomplete',
    handle: (ctx) => setCompletion(ctx, false),
  },
  {
    method: 'PUT',
    specRoute: '/projects/{projectId}/tasks/{taskId}/move',
    handle(ctx) {
      const target = parseMove(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'moved');
      anchorTask(ctx, p, target.taskId, 'target.taskId');
      ctx.store.move(p, node.id, target.taskId, target.position);
      return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/tasks/{taskId}/note',
    handle(ctx) {
      const p = project(ctx);
      const node = pathTask(ctx, p);
      if (node.note === null) {
        if (ctx.behaviours.missingSubresource404) throw notFound(`Task ${node.id} has no note`);
        return read({ ok: true, item: null });
      }
      return read({ ok: true, item: { ...node.note } });
    },
  },
  {
    method: 'PUT',
    specRoute: '/projects/{projectId}/tasks/{taskId}/note',
    handle(ctx) {
      const note = parseNote(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'given a note');
      node.note = note;
      return wrote({ ok: true, item: { ...note } });
    },
  },
  {
    method: 'DELETE',
    specRoute: '/projects/{projectId}/tasks/{taskId}/note',
    handle(ctx) {
      parseNoBody(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'given a note');
      if (node.note === null && ctx.behaviours.missingSubresource404) throw notFound(`Task ${node.id} has no note`);
      node.note = null;
      return wrote({ ok: true });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/tasks/{taskId}/date',
    handle(ctx) {
      const p = project(ctx);
      const node = pathTask(ctx, p);
      // Always 404 when unset: the response schema's `item` is required and not nullable.
      if (node.date === null) throw notFound(`Task ${node.id} has no date`);
      return read({ ok: true, item: structuredClone(node.date) });
    },
  },
  {
    method: 'PUT',
    specRoute: '/projects/{projectId}/tasks/{taskId}/date',
    handle(ctx) {
      const date = parseDate(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'given a date');
      node.date = date;
      return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
    },
  },
  {
    method: 'DELETE',
    specRoute: '/projects/{projectId}/tasks/{taskId}/date',
    handle(ctx) {
      parseNoBody(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'given a date');
      if (node.date === null) throw badRequest('Date does not exist');
      node.date = null;
      return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
    },
  },
  {
    method: 'GET',
    specRoute: '/projects/{projectId}/tasks/{taskId}/assignees',
    handle(ctx) {
      const p = project(ctx);
      const node = pathTask(ctx, p);
      const names = new Map(members(ctx, p).map((m) => [m.handle, m]));
      return read({ ok: true, items: node.assignees.map((h) => ({ ...(names.get(h) ?? { handle: h }) })) });
    },
  },
  {
    method: 'PUT',
    specRoute: '/projects/{projectId}/tasks/{taskId}/assignees',
    handle(ctx) {
      const handles = parseAssignees(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'assigned');
      // Decision: PUT replaces the whole set (duplicates collapse, first occurrence kept).
      node.assignees = [...new Set(handles)];
      return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
    },
  },
  {
    method: 'DELETE',
    specRoute: '/projects/{projectId}/tasks/{taskId}/assignees/{assigneeHandle}',
    handle(ctx) {
      parseNoBody(ctx.body);
      const p = project(ctx);
      const node = pathTask(ctx, p, 'assigned');
      const handle = ctx.params.assigneeHandle ?? '';
      if (!node.assignees.includes(handle)) throw badRequest(`User ${handle} is not assigned to task ${node.id}`);
      node.assignees = node.assignees.filter((h) => h !== handle);
      return wrote({ ok: true, item: presentWrite(p, node, ctx.behaviours) });
    },
  },
];

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

/** The spec route key of a request, or null: `/projects/{projectId}/tasks` for `/projects/abc/tasks`. */
export function matchRoute(method: string, pathname: string): RouteMatch | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.specRoute, pathname);
    if (params !== null) return { route, params };
    // Both forms of the create path are the spec's create route (switch `createPath` may refuse one).
    if (route.specRoute === CREATE_ROUTE) {
      const bare = matchTemplate(CREATE_ROUTE.slice(0, -1), pathname);
      if (bare !== null) return { route, params: bare };
    }
  }
  return null;
}

export const CREATE_ROUTE = '/projects/{projectId}/tasks/';

/** True when this request used the form of the create path that switch `createPath` refuses. */
export function refusedCreateForm(match: RouteMatch, pathname: string, b: Behaviours): boolean {
  if (match.route.specRoute !== CREATE_ROUTE) return false;
  return pathname.endsWith('/') ? b.createPath === 'no-slash' : b.createPath === 'slash';
}

function matchTemplate(template: string, pathname: string): Record<string, string> | null {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return null;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}
