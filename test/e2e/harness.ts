import { resolveConfig, type ConfigInput, type ResolvedConfig } from '../../src/config/index.js';
import { syncOnce, type LogEvent, type SyncReport, type SyncRequest } from '../../src/engine/index.js';
import { Journal } from '../../src/journal/index.js';
import { RequestQueue, TaskadeClient, type RequestQueueOptions } from '../../src/taskade/index.js';
import { makeNotesRoot } from '../support/notes-root.js';
import { startCheckedSimulator, type CheckedSimulator, type CheckedSimulatorOptions } from '../support/simulator.js';

/**
 * One end-to-end world: a checked simulator (every exchange validated against the spec), a temp
 * notes root with a real journal, the engine's client, and a second client standing for another
 * Taskade user (remote edits go through the public v1 API, as in production).
 */
export interface World {
  sim: CheckedSimulator;
  root: string;
  config: ResolvedConfig;
  journal: Journal;
  client: TaskadeClient;
  /** Another Taskade client (the web app, a colleague). */
  other: TaskadeClient;
  events: LogEvent[];
  /** Called with each event as the engine logs it (to look at the world mid-run). */
  onEvent?: (e: LogEvent) => void;
  write(path: string, content: string): void;
  read(path: string): string;
  sync(request?: SyncRequest): Promise<SyncReport>;
  /** Reopen the journal (as a new process would). */
  reopen(): void;
  close(): Promise<void>;
}

/** Small backoffs so retry paths take milliseconds, not seconds. */
export function fastQueue(o: RequestQueueOptions = {}): RequestQueue {
  return new RequestQueue({
    requestsPerMinute: 100_000,
    baseBackoffMs: 5,
    maxBackoffMs: 20,
    defaultRetryAfterMs: 50,
    maxPauseMs: 2_000,
    ...o,
  });
}

export async function startWorld(
  o: { config?: ConfigInput; sim?: CheckedSimulatorOptions; queue?: RequestQueueOptions } = {},
): Promise<World> {
  const sim = await startCheckedSimulator(o.sim);
  const notes = makeNotesRoot('tsync-e2e-');
  const root = notes.root;
  const config = resolveConfig(
    { requestsPerMinute: 100_000, lockWaitMs: 200, ...o.config },
    { baseDir: root, env: { TASKADE_API_URL: sim.baseUrl } },
  );
  let journal = Journal.open(config.journalPath);
  const client = new TaskadeClient({ baseUrl: sim.baseUrl, token: sim.token, queue: fastQueue(o.queue) });
  const other = new TaskadeClient({ baseUrl: sim.baseUrl, token: sim.token, queue: fastQueue() });
  const events: LogEvent[] = [];
  const world: World = {
    sim,
    root,
    config,
    get journal() {
      return journal;
    },
    client,
    other,
    events,
    write: notes.write,
    read: notes.read,
    sync: (request = {}) =>
      syncOnce(
        {
          root,
          config,
          journal,
          client,
          logger: {
            event: (e) => {
              events.push(e);
              world.onEvent?.(e);
            },
          },
        },
        request,
      ),
    reopen() {
      journal.close();
      journal = Journal.open(config.journalPath);
    },
    async close() {
      journal.close();
      await client.close();
      await other.close();
      notes.remove();
      await sim.close();
    },
  };
  return world;
}

/** The project's tasks as `indent + [x] text` lines, via the public API. */
export async function remoteOutline(client: TaskadeClient, projectId: string): Promise<string[]> {
  const list = await client.listTasks(projectId);
  const depth = new Map<string | null, number>([[null, -1]]);
  return list.tasks.map((t) => {
    const d = (depth.get(t.parentId) ?? -1) + 1;
    depth.set(t.id, d);
    return `${'  '.repeat(d)}${t.completed ? '[x] ' : ''}${t.text}`;
  });
}

/** Task lines of a markdown file, without block ids, as `indent + [x] text`. */
export function fileOutline(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^\s*[-*+] /.test(l))
    .map((l) => {
      const indent = /^\s*/.exec(l)![0].length / 2;
      const done = /^\s*[-*+] \[[xX]\]/.test(l);
      const body = l.replace(/^\s*[-*+] (\[[ xX]\] )?/, '').replace(/\s*\^tk-[A-Za-z0-9]+\s*$/, '');
      return `${'  '.repeat(indent)}${done ? '[x] ' : ''}${body}`;
    });
}

export function writesOf(sim: CheckedSimulator): number {
  return sim.stats().writes;
}
