import type { ResolvedConfig } from '../config/index.js';
import type { Logger } from '../engine/index.js';
import { Journal } from '../journal/index.js';
import { queueFromMemory, rememberRate, TaskadeClient, type RequestQueueOptions } from '../taskade/index.js';
import { Daemon, type DaemonExit } from './daemon.js';
import { announceDaemon } from './presence.js';
import { daemonSettings, realDaemonEdges } from './real-edges.js';
import { systemClock, type Clock } from '../model/clock.js';

export interface WatchSession {
  daemon: Daemon;
  client: TaskadeClient;
  journal: Journal;
  /** Resolves once the daemon stopped and everything is closed. */
  done: Promise<DaemonExit>;
  /** Graceful stop (the request in flight finishes, the journal is committed). */
  stop(): Promise<DaemonExit>;
}

/**
 * Starts a daemon on a resolved config: announces it in the state dir (refusing a second one),
 * opens the journal, builds the client with the config's budget, and starts watching. Used by
 * `taskade-sync watch` and by the demo.
 */
export async function startWatch(o: {
  config: ResolvedConfig;
  token: string;
  logger: Logger;
  timers?: Clock;
  /** Retry tuning of the request queue (tests shorten the backoff); the budget always comes from the config. */
  queue?: Omit<RequestQueueOptions, 'requestsPerMinute'>;
}): Promise<WatchSession> {
  const { config } = o;
  const timers = o.timers ?? systemClock;
  const presence = announceDaemon(config.stateDir, timers.now());
  let journal: Journal | null = null;
  let client: TaskadeClient | null = null;
  try {
    journal = Journal.open(config.journalPath);
    const queue = queueFromMemory({
      requestsPerMinute: config.requestsPerMinute,
      maxRequestsPerMinute: config.maxRequestsPerMinute,
      token: o.token,
      store: journal,
      ...(o.queue === undefined ? {} : { queue: o.queue }),
    });
    client = new TaskadeClient({ baseUrl: config.apiUrl, token: o.token, queue });
    const deps = { root: config.root, config, journal, client, logger: o.logger, clock: timers };
    const daemon = new Daemon({
      settings: daemonSettings(config),
      journal,
      edges: realDaemonEdges(deps),
      logger: o.logger,
      timers,
    });
    const j = journal;
    const c = client;
    const done = daemon.done.then(async (exit) => {
      presence.withdraw();
      try {
        rememberRate(queue, j, o.token, timers.now());
      } finally {
        j.close();
      }
      await c.close();
      return exit;
    });
    await daemon.start();
    return {
      daemon,
      client,
      journal,
      done,
      stop: async () => {
        await daemon.stop();
        return done;
      },
    };
  } catch (error) {
    presence.withdraw();
    journal?.close();
    await client?.close();
    throw error;
  }
}
