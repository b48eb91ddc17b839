import { readToken, type ResolvedConfig } from '../config/index.js';
import type { EngineDeps, LogEvent, Logger } from '../engine/index.js';
import { eventText } from '../daemon/log-output.js';
import { acquireLock, Journal, type LockHandle } from '../journal/index.js';
import { queueFromMemory, rememberRate, TaskadeClient } from '../taskade/index.js';
import type { CliIO } from './command.js';
import { loadCliConfig } from './load-config.js';
import { ProgressReporter } from './progress.js';
import { ensureStateDir } from './state-dir.js';

/** The exit code of a run stopped by SIGINT or SIGTERM (128 + 2, as shells report Ctrl-C). */
export const EXIT_STOPPED = 130;

/** What the one-shot commands share: config, journal, client, logger, and the state-dir lock. */
export interface EngineContext {
  config: ResolvedConfig;
  /** The engine's ports are the real ones here; commands use the rest of the journal and client too. */
  deps: EngineDeps & { journal: Journal; client: TaskadeClient };
  /** Progress of long work (drawn on a terminal only); knows how far a stopped run got. */
  progress: ProgressReporter;
  /**
   * After the engine returned: when the user stopped the run (Ctrl-C, SIGTERM), says how far it
   * got on stderr and returns 130 (what is done is committed); otherwise null.
   */
  stopped(): number | null;
  /** Releases the lock and closes the journal and the client's connections. */
  close(): Promise<void>;
}

export interface LogOptions {
  /** Only warnings and errors. */
  quiet?: boolean;
  /** Debug events too. */
  verbose?: boolean;
  /** Nothing on stdout but the command's JSON; events go to stderr. */
  json?: boolean;
}

/**
 * Config (found from the current folder up), token (from the environment), journal, client and
 * the lock — in that order, so a bad config or a missing token fails before anything is touched.
 */
export async function openEngine(io: CliIO, o: { purpose: string; log?: LogOptions }): Promise<EngineContext> {
  const config = loadCliConfig(io);
  const token = readToken(config, io.env);
  ensureStateDir(config.stateDir);
  const lock: LockHandle = await acquireLock(config.stateDir, { purpose: o.purpose, waitMs: config.lockWaitMs });
  let journal: Journal;
  try {
    journal = Journal.open(config.journalPath);
  } catch (error) {
    lock.release();
    throw error;
  }
  const queue = queueFromMemory({
    requestsPerMinute: config.requestsPerMinute,
    maxRequestsPerMinute: config.maxRequestsPerMinute,
    token,
    store: journal,
  });
  const client = new TaskadeClient({ baseUrl: config.apiUrl, token, queue });
  const progress = new ProgressReporter({
    stderr: io.stderr,
    quiet: o.log?.quiet === true,
    json: o.log?.json === true,
    rate: queue,
  });
  const deps = {
    root: config.root,
    config,
    journal,
    client,
    logger: progress.logger(cliLogger(io, o.log ?? {})),
  };
  return {
    config,
    deps,
    progress,
    stopped() {
      progress.clear();
      if (!io.signal.aborted) return null;
      io.stderr.write(`${progress.stoppedMessage()}\n`);
      return EXIT_STOPPED;
    },
    async close() {
      try {
        rememberRate(queue, journal, token, Date.now());
        journal.close();
        await client.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** Human log lines: `file:line  → Taskade  “task”: change`, changes on stdout, warnings and errors on stderr. */
export function cliLogger(io: CliIO, o: LogOptions): Logger {
  return {
    event(e: LogEvent): void {
      if (e.type === 'progress') return; // drawn by ProgressReporter, not a log line
      if (e.level === 'debug' && o.verbose !== true) return;
      if (e.level === 'info' && (o.quiet === true || o.json === true)) return;
      if (o.json === true && (e.level === 'warn' || e.level === 'error')) {
        io.stderr.write(JSON.stringify(e) + '\n');
        return;
      }
      const where = e.file === undefined ? '' : `${e.file}${e.line !== undefined ? `:${e.line}` : ''}  `;
      const id =
        e.taskId !== undefined && e.level !== 'debug' && !e.message.includes(e.taskId) ? `  (${e.taskId})` : '';
      const line = `${where}${eventText(e)}${id}\n`;
      (e.level === 'info' || e.level === 'debug' ? io.stdout : io.stderr).write(
        e.level === 'warn' || e.level === 'error' ? `${e.level}: ${line}` : line,
      );
    },
  };
}
