import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultRule } from './faults.js';
import { checkBehaviours, checkSeed, handleHook, type HookTarget } from './hooks.js';
import { renderOutlinePage, sendPage } from './page.js';
import { loadState, serializeStore, StateSaver } from './persist.js';
import { DEFAULT_BEHAVIOURS, type Behaviours } from './present.js';
import { checkRateLimit, RateLimiter, type RateLimit } from './rate-limit.js';
import {
  API_PREFIX,
  emptyStats,
  errorBody,
  handleV1,
  sendJson,
  type Exchange,
  type PipelineState,
  type SimulatorStats,
} from './server.js';
import { Store, type Position, type SeedTask } from './store.js';

/**
 * A local Taskade Public API v1 simulator: a real node:http server on loopback. See README
 * "The Taskade simulator" for the endpoints, switches, faults and `/__sim` hooks.
 */
export type { Behaviours } from './present.js';
export type { FaultKind, FaultRule } from './faults.js';
export type { SeedTask } from './store.js';
export type { Exchange, SimulatorStats } from './server.js';
export type { RateLimit } from './rate-limit.js';
export { DEFAULT_BEHAVIOURS } from './present.js';

export interface SimulatorOptions {
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Accepted bearer tokens; every token sees the same world. @default ['sim-token'] */
  tokens?: string[];
  /** Load on start if present, save after each mutation (debounced) and on close. */
  statePath?: string;
  /** Per token, fixed window. @default null (off) */
  rateLimit?: RateLimit | null;
  behaviours?: Partial<Behaviours>;
  /** Added to every v1 response. @default 0 */
  latencyMs?: number;
  /** Seed of the PRNG that rolls fault `rate`s. @default 1 */
  seed?: number;
  /** Clock for the rate-limit windows (tests inject one). @default Date.now */
  now?: () => number;
  /** Called after every v1 exchange (status 0 = connection dropped); test/support uses it to check the contract. */
  onExchange?: (exchange: Exchange) => void;
  /** Names of the starting workspace and its sub-folder (when no state file is loaded). */
  workspaceName?: string;
  folderName?: string;
}

export interface SimulatorWorkspace {
  id: string;
  name: string;
  homeFolderId: string;
  /** Sub-folders (the home folder, whose id is the workspace id, is not repeated here). */
  folders: { id: string; name: string }[];
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT' */
  readonly origin: string;
  /** origin + '/api/v1' */
  readonly baseUrl: string;
  /** The first token. */
  readonly token: string;
  readonly workspace: SimulatorWorkspace;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Back to the starting workspace and folders (same ids), no projects; stats untouched. */
  resetState(): void;
  /** Replaces the list; [] clears. */
  setFaults(rules: FaultRule[]): void;
  setBehaviours(b: Partial<Behaviours>): void;
  behaviours(): Behaviours;
  setRateLimit(limit: RateLimit | null): void;
  /** Direct seeding for tests/benchmarks (not counted in stats): creates a project with a task tree. */
  seedProject(input: { folderId?: string; name: string; tasks?: SeedTask[] }): { projectId: string; taskIds: string[] };
  /** Every project the simulator holds (not counted in stats). */
  listProjects(): { id: string; name: string; folderId: string }[];
  /** Adds a sub-folder to a workspace (default: the starting one), for tests and demos. */
  addFolder(name: string, workspaceId?: string): { id: string; name: string };
  /**
   * Another client's move at an exact moment (not counted in stats): e.g. from `onExchange`,
   * between two page reads of one task list. Same rules as `PUT …/move`.
   */
  moveTask(projectId: string, taskId: string, target: { taskId: string; position: Position }): void;
  close(): Promise<void>;
}

function freshWorld(ws: SimulatorWorkspace | null, names: { workspace: string; folder: string }): Store {
  const store = new Store();
  if (ws === null) {
    const created = store.addWorkspace({ name: names.workspace });
    store.addFolder(created.id, { name: names.folder });
  } else {
    store.addWorkspace({ id: ws.id, name: ws.name });
    for (const f of ws.folders) store.addFolder(ws.id, f);
  }
  return store;
}

function describeWorkspace(store: Store): SimulatorWorkspace {
  const ws = store.workspaces.values().next().value;
  if (ws === undefined) throw new Error('Simulator state has no workspace');
  return {
    id: ws.id,
    name: ws.name,
    homeFolderId: ws.homeFolderId,
    folders: ws.folderIds.map((id) => ({ id, name: store.folder(id).name })),
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const tokens = options.tokens ?? ['sim-token'];
  if (tokens.length === 0 || tokens.some((t) => typeof t !== 'string' || !/^\S+$/.test(t))) {
    throw new TypeError(
      `Unexpected value \`${JSON.stringify(options.tokens)}\` for \`options.tokens\`, expected a non-empty array of tokens without spaces`,
    );
  }
  const names = { workspace: options.workspaceName ?? 'Simulator Workspace', folder: options.folderName ?? 'Projects' };
  const loaded = options.statePath === undefined ? null : loadState(options.statePath);
  const initialStore = loaded ?? freshWorld(null, names);
  const workspace = describeWorkspace(initialStore);

  const faults = new FaultInjector(options.seed ?? 1);
  const state: PipelineState = {
    store: initialStore,
    behaviours: { ...DEFAULT_BEHAVIOURS, ...checkBehaviours(options.behaviours ?? {}) },
    tokens,
    stats: emptyStats(),
    faults,
    rateLimiter: new RateLimiter(checkRateLimit(options.rateLimit ?? null), options.now ?? Date.now),
    latencyMs: options.latencyMs ?? 0,
    onMutation: () => saver?.schedule(),
    onExchange: options.onExchange,
  };
  const saver = options.statePath === undefined ? null : new StateSaver(options.statePath, () => state.store);

  const seedProject: Simulator['seedProject'] = (input) => {
    const seed = checkSeed(input);
    const { project, taskIds } = state.store.createProject({
      folderId: seed.folderId ?? workspace.homeFolderId,
      name: seed.name,
      tasks: seed.tasks ?? [],
    });
    saver?.schedule();
    return { projectId: project.id, taskIds };
  };

  let origin = '';
  const hooks: HookTarget = {
    info: () => ({ baseUrl: origin + API_PREFIX, tokens, workspace: describeWorkspace(state.store) }),
    stats: () => structuredClone(state.stats),
    reset: ({ state: resetState, stats }) => {
      if (resetState === true) simulator.resetState();
      if (stats === true) simulator.resetStats();
    },
    faults: () => faults.list(),
    setFaults: (rules) => faults.set(rules),
    behaviours: () => ({ ...state.behaviours }),
    setBehaviours: (b) => Object.assign(state.behaviours, checkBehaviours(b)),
    rateLimit: () => state.rateLimiter.current,
    setRateLimit: (limit) => state.rateLimiter.set(limit),
    seedProject,
    state: () => serializeStore(state.store),
  };

  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      // A bug in the simulator: answer 500 with the Error schema rather than hang the client.
      sendJson(res, 500, errorBody(500, `Simulator error: ${(error as Error).message ?? String(error)}`));
    });
  });
  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname.startsWith('/__sim/')) return handleHook(hooks, req, res, url);
    if (url.pathname === API_PREFIX || url.pathname.startsWith(API_PREFIX + '/')) return handleV1(state, req, res, url);
    req.resume();
    if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      const html = renderOutlinePage(state.store, { requests: state.stats.total });
      return sendPage(res, html, req.method === 'HEAD');
    }
    sendJson(
      res,
      404,
      errorBody(404, `No such endpoint: ${req.method ?? 'GET'} ${url.pathname} (the API is under ${API_PREFIX})`),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  let closed: Promise<void> | null = null;

  const simulator: Simulator = {
    origin,
    baseUrl: origin + API_PREFIX,
    token: tokens[0] as string,
    workspace,
    stats: () => structuredClone(state.stats),
    resetStats: () => {
      state.stats = emptyStats();
    },
    resetState: () => {
      state.store = freshWorld(workspace, names);
      saver?.schedule();
    },
    setFaults: (rules) => faults.set(rules),
    setBehaviours: (b) => {
      Object.assign(state.behaviours, checkBehaviours(b));
    },
    behaviours: () => ({ ...state.behaviours }),
    setRateLimit: (limit) => state.rateLimiter.set(limit),
    seedProject,
    listProjects: () =>
      [...state.store.projects.values()].map((p) => ({ id: p.id, name: p.name, folderId: p.folderId })),
    addFolder: (name, workspaceId) => {
      const folder = state.store.addFolder(workspaceId ?? workspace.id, { name });
      if ((workspaceId ?? workspace.id) === workspace.id) workspace.folders.push({ id: folder.id, name });
      saver?.schedule();
      return { id: folder.id, name: folder.name };
    },
    moveTask: (projectId, taskId, target) => {
      const store = state.store;
      store.move(store.project(projectId), taskId, target.taskId, target.position);
      state.onMutation();
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => saver?.flush());
      return closed;
    },
  };
  return simulator;
}
