import type { Command } from '../command.js';

/**
 * The command table. Each command lives in its own module and is loaded only when it runs,
 * so `taskade-sync status` does not pay for the simulator or the watcher.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: { summary: 'write sync.config.json (asks only on a terminal)', load: async () => (await import('./init.js')).command },
};
