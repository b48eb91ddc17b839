import type { Logger } from './types.js';

/**
 * A `progress` event (the shape sync-once's streamed details use too: `what`, `done`, `total`,
 * `unit`): what long work is being done and how far it is. The CLI
 * draws it on a terminal and names it when a run is stopped (src/cli/progress.ts); other loggers
 * see a debug event.
 */
export function reportProgress(logger: Logger, file: string, phase: string, done: number, total: number): void {
  logger.event({
    level: 'debug',
    type: 'progress',
    file,
    message: `${phase} ${done}/${total}`,
    data: { what: phase, done, total, unit: 'tasks' },
  });
}
