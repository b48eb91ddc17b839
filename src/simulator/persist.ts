import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Store, type Member, type TaskNode } from './store.js';

/**
 * The simulator's state as a JSON file, so a demo survives restarts. Tasks are stored flat in
 * pre-order with their parentId: children order is the order in the file.
 */
interface StateFile {
  version: 1;
  workspaces: { id: string; name: string; members: Member[]; folders: { id: string; name: string }[] }[];
  projects: {
    id: string;
    name: string;
    folderId: string;
    rootId: string;
    viewedSeq: number;
    tasks: Omit<TaskNode, 'children'>[];
  }[];
}

export function serializeStore(store: Store): StateFile {
  return {
    version: 1,
    workspaces: [...store.workspaces.values()].map((w) => ({
      id: w.id,
      name: w.name,
      members: w.members,
      folders: w.folderIds.map((id) => ({ id, name: store.folder(id).name })),
    })),
    projects: [...store.projects.values()].map((p) => ({
      id: p.id,
      name: p.name,
      folderId: p.folderId,
      rootId: p.rootId,
      viewedSeq: p.viewedSeq,
      tasks: store.preorder(p).map((id) => {
        const { children: _children, ...rest } = store.node(p, id);
        return rest;
      }),
    })),
  };
}

export function deserializeStore(json: unknown, source: string): Store {
  const file = json as Partial<StateFile> | null;
  if (
    file === null ||
    typeof file !== 'object' ||
    file.version !== 1 ||
    !Array.isArray(file.workspaces) ||
    !Array.isArray(file.projects)
  ) {
    throw new Error(`${source}: not a simulator state file (expected {"version":1,"workspaces":[…],"projects":[…]})`);
  }
  const store = new Store();
  for (const w of file.workspaces) {
    store.addWorkspace({ id: w.id, name: w.name, members: w.members });
    for (const f of w.folders) store.addFolder(w.id, f);
  }
  for (const [i, p] of file.projects.entries()) {
    const { project } = store.createProject({ id: p.id, folderId: p.folderId, name: p.name });
    project.nodes.clear();
    project.rootId = p.rootId;
    project.viewedSeq = p.viewedSeq;
    for (const t of p.tasks) {
      project.nodes.set(t.id, { ...t, children: [] });
      if (t.parentId === null) continue;
      const parent = project.nodes.get(t.parentId);
      if (parent === undefined) {
        throw new Error(
          `${source}: projects[${i}] task ${t.id} comes before its parent ${t.parentId} (expected pre-order)`,
        );
      }
      parent.children.push(t.id);
    }
    if (!project.nodes.has(p.rootId)) throw new Error(`${source}: projects[${i}] has no root task ${p.rootId}`);
  }
  return store;
}

export function loadState(path: string): Store | null {
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: could not read the simulator state as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return deserializeStore(json, path);
}

/** Saves at most once per `delayMs` after changes, and synchronously on flush (close). */
export class StateSaver {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => Store,
    private readonly delayMs = 50,
  ) {}

  schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // Write then rename, so a crash mid-write never leaves a truncated state file.
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(serializeStore(this.snapshot())) + '\n');
    renameSync(tmp, this.path);
  }
}
