import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type ResolvedConfig } from '../../../src/config/index.js';
import { startWatch, type WatchSession } from '../../../src/daemon/start.js';
import type { LogEvent } from '../../../src/engine/index.js';
import type { SeedTask } from '../../../src/simulator/index.js';
import { makeNotesRoot, type NotesRoot } from '../../support/notes-root.js';
import { startCheckedSimulator, type CheckedSimulator, type CheckedSimulatorOptions } from '../../support/simulator.js';

export interface RemoteTask {
  id: string;
  text: string;
  completed: boolean;
  parentId: string | null;
  note: { value: string } | null;
}

/**
 * A real notes folder in a temp dir, linked to projects on a checked simulator, with a daemon
 * started in-process on real timers and the real watcher. Remote state is read through the
 * simulator's `/__sim/state` hook, which is not counted in its request stats.
 */
export class Vault {
  logs: LogEvent[] = [];
  session: WatchSession | null = null;
  projects = new Map<string, string>(); // file → projectId

  readonly dir: string;

  private constructor(
    private readonly notes: NotesRoot,
    readonly sim: CheckedSimulator,
    readonly config: ResolvedConfig,
  ) {
    this.dir = notes.root;
  }

  static async create(o: { config?: Record<string, unknown>; sim?: CheckedSimulatorOptions } = {}): Promise<Vault> {
    const sim = await startCheckedSimulator(o.sim);
    const notes = makeNotesRoot('taskade-daemon-');
    const dir = notes.root;
    const input = {
      apiUrl: sim.baseUrl,
      requestsPerMinute: 6000,
      lockWaitMs: 5000,
      ...o.config,
      watch: {
        debounceMs: 100,
        quietMs: 1000,
        pollMinMs: 60_000,
        pollMaxMs: 120_000,
        subresourceReadsPerPoll: 0,
        ...(o.config?.watch as object),
      },
    };
    writeFileSync(join(dir, 'sync.config.json'), JSON.stringify(input, null, 2));
    const config = resolveConfig(input, { configPath: join(dir, 'sync.config.json'), env: {} });
    return new Vault(notes, sim, config);
  }

  /** A project on the simulator and a file linked to it by front matter (no tasks yet: the first pass pulls them). */
  link(file: string, name: string, tasks: SeedTask[]): string {
    const { projectId } = this.sim.seedProject({ name, tasks });
    this.write(file, `---\ntaskade:\n  project: ${projectId}\n---\n# ${name}\n\n`);
    this.projects.set(file, projectId);
    return projectId;
  }

  async startDaemon(): Promise<WatchSession> {
    this.session = await startWatch({
      config: this.config,
      token: this.sim.token,
      logger: { event: (e) => this.logs.push(e) },
    });
    return this.session;
  }

  async stopDaemon(): Promise<number> {
    const exit = await this.session?.stop();
    this.session = null;
    return exit?.exitCode ?? 0;
  }

  read(file: string): string {
    return this.notes.read(file);
  }

  write(file: string, content: string): void {
    this.notes.write(file, content);
  }

  async remoteTasks(projectId: string): Promise<RemoteTask[]> {
    const res = await fetch(`${this.sim.origin}/__sim/state`);
    const state = (await res.json()) as { projects: Array<{ id: string; rootId: string; tasks: RemoteTask[] }> };
    const p = state.projects.find((x) => x.id === projectId);
    if (p === undefined) throw new Error(`no project ${projectId} on the simulator`);
    return p.tasks
      .filter((t) => t.id !== p.rootId)
      .map((t) => ({ ...t, parentId: t.parentId === p.rootId ? null : t.parentId }));
  }

  /** A remote edit by another Taskade client, through the public v1 API. */
  async remoteUpdateText(projectId: string, taskId: string, text: string): Promise<void> {
    const res = await fetch(`${this.sim.baseUrl}/projects/${projectId}/tasks/${taskId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.sim.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contentType: 'text/markdown', content: text }),
    });
    if (!res.ok) throw new Error(`remote edit failed: ${res.status} ${await res.text()}`);
  }

  async close(): Promise<void> {
    try {
      if (this.session !== null) await this.stopDaemon();
    } finally {
      await this.sim.close();
      this.notes.remove();
    }
  }
}

/** Polls `cond` every 25 ms until it holds; fails after `timeoutMs` (a generous bound, never an assertion on speed). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
