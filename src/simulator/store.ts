import { badRequest, notFound } from './api-error.js';
import { newFolderId, newProjectId, newTaskId, newWorkspaceId } from './ids.js';

/**
 * The simulator's world: workspaces, folders, projects and their task trees, with the tree
 * operations the v1 API exposes (DOM-style placement, move, subtree delete, cursor paging).
 * No HTTP here: operations take plain values and throw `ApiFailure` for what the API refuses.
 *
 * Every project has a root node (its id is the parent of the top-level tasks). Whether clients
 * see it is a wire concern (`Behaviours.rootNode`), decided in `present.ts`/`routes.ts`.
 */

export type Position = 'beforebegin' | 'afterbegin' | 'beforeend' | 'afterend';

export interface DateValue {
  date: string;
  time?: string | null;
  timezone?: string | null;
}

export interface TaskDate {
  start: DateValue;
  end?: DateValue;
}

export interface TaskNote {
  type: string;
  value: string;
}

export interface TaskNode {
  id: string;
  text: string;
  completed: boolean;
  /** null only for the project's root node. */
  parentId: string | null;
  children: string[];
  note: TaskNote | null;
  date: TaskDate | null;
  assignees: string[];
}

export interface ProjectState {
  id: string;
  name: string;
  folderId: string;
  rootId: string;
  nodes: Map<string, TaskNode>;
  /** Bumped when the project is read; `GET /me/projects?sort=viewed-*` orders by it. */
  viewedSeq: number;
}

export interface FolderState {
  id: string;
  name: string;
  workspaceId: string;
}

export interface Member {
  handle: string;
  displayName?: string;
}

export interface WorkspaceState {
  id: string;
  name: string;
  /** The home folder has the workspace's own id (a workspace id is accepted as a folder id). */
  homeFolderId: string;
  /** Sub-folders, in creation order (the home folder is not in this list). */
  folderIds: string[];
  members: Member[];
}

/**
 * Input for seeding and for projects created from markdown. Seeded text and notes may span
 * several lines, as content written in Taskade's own editor can (the API refuses that on write).
 */
export interface SeedTask {
  text: string;
  completed?: boolean;
  note?: string;
  date?: { date: string; time?: string | null; timezone?: string | null };
  assignees?: string[];
  children?: SeedTask[];
}

export interface PageQuery {
  limit: number;
  after?: string;
  before?: string;
}

export const DEFAULT_MEMBERS: readonly Member[] = [
  { handle: 'sim-owner', displayName: 'Simulator Owner' },
  { handle: 'alice', displayName: 'Alice' },
  { handle: 'bob', displayName: 'Bob' },
];

export class Store {
  readonly workspaces = new Map<string, WorkspaceState>();
  readonly folders = new Map<string, FolderState>();
  readonly projects = new Map<string, ProjectState>();
  private viewCounter = 0;
  /** Pre-order cache per project, dropped on every structural change. */
  private readonly orderCache = new Map<string, string[]>();

  // ---- workspaces and folders ----

  addWorkspace(input: { id?: string; name: string; members?: Member[] }): WorkspaceState {
    const id = input.id ?? newWorkspaceId();
    const ws: WorkspaceState = {
      id,
      name: input.name,
      homeFolderId: id,
      folderIds: [],
      members: (input.members ?? DEFAULT_MEMBERS).map((m) => ({ ...m })),
    };
    this.workspaces.set(id, ws);
    this.folders.set(id, { id, name: input.name, workspaceId: id });
    return ws;
  }

  addFolder(workspaceId: string, input: { id?: string; name: string }): FolderState {
    const ws = this.workspace(workspaceId);
    const folder: FolderState = { id: input.id ?? newFolderId(), name: input.name, workspaceId: ws.id };
    this.folders.set(folder.id, folder);
    ws.folderIds.push(folder.id);
    return folder;
  }

  workspace(id: string): WorkspaceState {
    const ws = this.workspaces.get(id);
    if (ws === undefined) throw notFound(`Workspace ${id} not found`);
    return ws;
  }

  folder(id: string): FolderState {
    const folder = this.folders.get(id);
    if (folder === undefined) throw notFound(`Folder ${id} not found`);
    return folder;
  }

  /** Home folder first, then the sub-folders (decision: the home folder is listed). */
  foldersOf(workspaceId: string): FolderState[] {
    const ws = this.workspace(workspaceId);
    return [ws.homeFolderId, ...ws.folderIds].map((id) => this.folder(id));
  }

  projectsIn(folderId: string): ProjectState[] {
    this.folder(folderId);
    return [...this.projects.values()].filter((p) => p.folderId === folderId);
  }

  // ---- projects ----

  createProject(input: { folderId: string; name: string; tasks?: SeedTask[]; id?: string }): {
    project: ProjectState;
    taskIds: string[];
  } {
    this.folder(input.folderId);
    const rootId = newTaskId();
    const project: ProjectState = {
      id: input.id ?? newProjectId(),
      name: input.name,
      folderId: input.folderId,
      rootId,
      nodes: new Map(),
      viewedSeq: ++this.viewCounter,
    };
    project.nodes.set(rootId, emptyNode(rootId, input.name, null));
    this.projects.set(project.id, project);
    const taskIds: string[] = [];
    const add = (parentId: string, seeds: SeedTask[]): void => {
      for (const seed of seeds) {
        const node = emptyNode(newTaskId(), seed.text, parentId);
        node.completed = seed.completed ?? false;
        if (seed.note !== undefined) node.note = { type: 'text/markdown', value: seed.note };
        if (seed.date !== undefined) node.date = { start: { ...seed.date } };
        node.assignees = [...new Set(seed.assignees ?? [])];
        project.nodes.set(node.id, node);
        this.node(project, parentId).children.push(node.id);
        taskIds.push(node.id);
        add(node.id, seed.children ?? []);
      }
    };
    add(rootId, input.tasks ?? []);
    return { project, taskIds };
  }

  project(id: string): ProjectState {
    const project = this.projects.get(id);
    if (project === undefined) throw notFound('Document not found');
    return project;
  }

  markViewed(project: ProjectState): void {
    project.viewedSeq = ++this.viewCounter;
  }

  // ---- tasks ----

  /** A task of the project (the root included); 404 otherwise. */
  node(project: ProjectState, taskId: string): TaskNode {
    const node = project.nodes.get(taskId);
    if (node === undefined) throw notFound(`Task ${taskId} not found in project ${project.id}`);
    return node;
  }

  /** The whole outline in pre-order (depth first, siblings in order), root first. */
  preorder(project: ProjectState): string[] {
    return this.order(project);
  }

  /**
   * One page of the outline (root included; the caller hides it if needed). `after`: the `limit`
   * tasks following the cursor. `before`: the `limit` tasks immediately preceding the cursor,
   * returned in forward outline order. The cursor itself is never included.
   */
  page(project: ProjectState, query: PageQuery, visible: (id: string) => boolean): TaskNode[] {
    const ids = this.order(project).filter(visible);
    let start = 0;
    let end = ids.length;
    if (query.after !== undefined) {
      start = this.cursorIndex(project, ids, query.after, 'after') + 1;
      end = Math.min(ids.length, start + query.limit);
    } else if (query.before !== undefined) {
      end = this.cursorIndex(project, ids, query.before, 'before');
      start = Math.max(0, end - query.limit);
    } else {
      end = Math.min(ids.length, query.limit);
    }
    return ids.slice(start, end).map((id) => this.node(project, id));
  }

  private cursorIndex(project: ProjectState, ids: string[], cursor: string, name: string): number {
    const index = ids.indexOf(cursor);
    if (index < 0) throw badRequest(`Query parameter \`${name}\`: task ${cursor} is not in project ${project.id}`);
    return index;
  }

  /**
   * Inserts a new task relative to an anchor, DOM insertAdjacentElement style:
   * beforebegin/afterend = sibling before/after the anchor, afterbegin/beforeend = first/last
   * child. A null anchor means the root (only afterbegin/beforeend make sense there).
   */
  insert(project: ProjectState, anchorId: string | null, placement: Position, text: string): TaskNode {
    const anchor = this.node(project, anchorId ?? project.rootId);
    this.checkPlacement(project, anchor, placement);
    const node = emptyNode(newTaskId(), text, null);
    project.nodes.set(node.id, node);
    this.attach(project, node, anchor, placement);
    return node;
  }

  /** Checks an insert/move target without changing anything (so a batch can be validated first). */
  checkPlacement(project: ProjectState, anchor: TaskNode, placement: Position): void {
    if (anchor.id === project.rootId && (placement === 'beforebegin' || placement === 'afterend')) {
      throw badRequest(
        `Position \`${placement}\` is not allowed relative to the project root: use afterbegin or beforeend`,
      );
    }
  }

  /** Moves a task with its subtree. Refuses moving relative to itself or into its own subtree. */
  move(project: ProjectState, taskId: string, anchorId: string, position: Position): TaskNode {
    const node = this.node(project, taskId);
    if (node.id === project.rootId) throw badRequest('The project root cannot be moved');
    const anchor = project.nodes.get(anchorId);
    if (anchor === undefined) throw badRequest(`\`target.taskId\`: task ${anchorId} is not in project ${project.id}`);
    if (anchor.id === node.id)
      throw badRequest('`target.taskId` is the task being moved: a task cannot move relative to itself');
    if (this.isInSubtree(project, anchor.id, node.id)) {
      throw badRequest(`\`target.taskId\`: task ${anchorId} is inside the subtree of the task being moved`);
    }
    this.checkPlacement(project, anchor, position);
    this.detach(project, node);
    this.attach(project, node, anchor, position);
    return node;
  }

  /** Deletes a task and its whole subtree; returns how many tasks were removed. */
  deleteSubtree(project: ProjectState, taskId: string): number {
    const node = this.node(project, taskId);
    if (node.id === project.rootId) throw badRequest('The project root cannot be deleted');
    this.detach(project, node);
    let removed = 0;
    const drop = (id: string): void => {
      const n = project.nodes.get(id);
      if (n === undefined) return;
      for (const child of n.children) drop(child);
      project.nodes.delete(id);
      removed++;
    };
    drop(node.id);
    this.orderCache.delete(project.id);
    return removed;
  }

  /** Marks the structure changed (callers that edit nodes in place do not need this). */
  private invalidate(project: ProjectState): void {
    this.orderCache.delete(project.id);
  }

  private isInSubtree(project: ProjectState, candidateId: string, ancestorId: string): boolean {
    let current: string | null = candidateId;
    while (current !== null) {
      if (current === ancestorId) return true;
      current = project.nodes.get(current)?.parentId ?? null;
    }
    return false;
  }

  private detach(project: ProjectState, node: TaskNode): void {
    if (node.parentId === null) return;
    const parent = this.node(project, node.parentId);
    parent.children = parent.children.filter((id) => id !== node.id);
    node.parentId = null;
    this.invalidate(project);
  }

  private attach(project: ProjectState, node: TaskNode, anchor: TaskNode, placement: Position): void {
    if (placement === 'afterbegin' || placement === 'beforeend') {
      node.parentId = anchor.id;
      if (placement === 'afterbegin') anchor.children.unshift(node.id);
      else anchor.children.push(node.id);
    } else {
      // Sibling placement: the anchor is never the root here (checkPlacement refused that).
      const parent = this.node(project, anchor.parentId ?? project.rootId);
      const at = parent.children.indexOf(anchor.id);
      node.parentId = parent.id;
      parent.children.splice(placement === 'beforebegin' ? at : at + 1, 0, node.id);
    }
    this.invalidate(project);
  }

  private order(project: ProjectState): string[] {
    const cached = this.orderCache.get(project.id);
    if (cached !== undefined) return cached;
    const ids: string[] = [];
    // Iterative pre-order walk: deep outlines must not overflow the stack.
    const stack: string[] = [project.rootId];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      ids.push(id);
      const node = this.node(project, id);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as string);
    }
    this.orderCache.set(project.id, ids);
    return ids;
  }
}

function emptyNode(id: string, text: string, parentId: string | null): TaskNode {
  return { id, text, completed: false, parentId, children: [], note: null, date: null, assignees: [] };
}
