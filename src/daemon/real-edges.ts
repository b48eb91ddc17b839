import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePathFilter, type ResolvedConfig } from '../config/index.js';
import { readTaskDetails, syncOnce, type EngineDeps } from '../engine/index.js';
import { frontMatterProject } from '../markdown/index.js';
import { acquireLock, hashContent } from '../journal/index.js';
import type { TaskadeClient } from '../taskade/index.js';
import type { DaemonEdges, DaemonSettings } from './daemon.js';
import { watchNotes } from './watcher.js';

const LOCK_ATTEMPT_MS = 1000;

/** The daemon's settings from a resolved config. */
export function daemonSettings(config: ResolvedConfig): DaemonSettings {
  return { ...config.watch, requestsPerMinute: config.requestsPerMinute };
}

/**
 * The real edges: the engine pass, the client's list reads at background priority, the
 * state-dir lock (purpose `watch`, waiting up to `lockWaitMs` for a one-shot `sync`), chokidar,
 * and the files under the root.
 */
export function realDaemonEdges(deps: EngineDeps & { client: TaskadeClient }): DaemonEdges {
  const { config, client } = deps;
  const included = makePathFilter(config.include, config.exclude);
  const mapped = new Map(config.mappings.map((m) => [m.file, m.project] as const));
  return {
    // Passes are logged as runs of kind 'watch', so `status` tells the daemon's work from one-shot syncs.
    sync: (request) => syncOnce(deps, { runKind: 'watch', ...request }),
    listTasks: (projectId, signal) => client.listTasks(projectId, { priority: 'background', signal }),
    readTaskDetails: (projectId, taskId, counter, signal) =>
      readTaskDetails(client, projectId, taskId, counter, { signal, priority: 'background' }),
    requestsSent: () => client.queue.stats().sent,
    // Wait at most a second per attempt: a busy lock makes the pass retry a second later anyway
    // (the scheduler's wait is cancelled by a stop), while acquireLock's own wait cannot be
    // cancelled and would keep a stopped daemon's process alive for up to `lockWaitMs`.
    lock: () =>
      acquireLock(config.stateDir, { purpose: 'watch', waitMs: Math.min(config.lockWaitMs, LOCK_ATTEMPT_MS) }),
    watch: (onEvent, onError) =>
      watchNotes({
        root: config.root,
        stateDir: config.stateDir,
        onEvent: (kind, path) => {
          if (included(path) || mapped.has(path)) onEvent(kind, path);
        },
        onError,
      }),
    readFile: async (relPath) => {
      try {
        return await readFile(join(config.root, relPath), 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
        throw error;
      }
    },
    fileExists: (relPath) => existsSync(join(config.root, relPath)),
    hashContent,
    projectOf: (relPath, content) => frontMatterProject(content) ?? mapped.get(relPath) ?? null,
  };
}
