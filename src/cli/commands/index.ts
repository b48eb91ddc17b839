import type { Command } from '../command.js';

/**
 * The command table. Each command lives in its own module and is loaded only when it runs,
 * so `taskade-sync status` does not pay for the simulator or the watcher.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: {
    summary: 'write sync.config.json (asks only on a terminal)',
    load: async () => (await import('./init.js')).command,
  },
  sync: {
    summary: 'one sync pass over the linked files, then exit',
    load: async () => (await import('./sync.js')).command,
  },
  link: {
    summary: 'link a markdown file to a Taskade project (or a new one) and sync it',
    load: async () => (await import('./link.js')).command,
  },
  pull: {
    summary: 'write one file per Taskade project (of a project, folder or workspace)',
    load: async () => (await import('./pull.js')).command,
  },
  ls: {
    summary: 'list workspaces, folders or projects with their ids (for link and pull)',
    load: async () => (await import('./ls.js')).command,
  },
  watch: {
    summary: 'the daemon: sync on every save and poll Taskade, until Ctrl-C',
    load: async () => (await import('./watch.js')).command,
  },
  inspect: {
    summary: 'print the outline and diagnostics the sync reads from a notes file',
    load: async () => (await import('./inspect.js')).command,
  },
  simulate: {
    summary: 'serve a local Taskade API simulator until Ctrl-C',
    load: async () => (await import('./simulate.js')).command,
  },
  status: {
    summary: 'linked files, pending changes, conflicts, last runs, budget, daemon',
    load: async () => (await import('./status.js')).command,
  },
  doctor: {
    summary: 'check the config, token, Taskade, state dir, lock, daemon and linked files',
    load: async () => (await import('./doctor.js')).command,
  },
  hooks: {
    summary: 'install or remove the git hooks that run `sync --quiet` after commits and merges',
    load: async () => (await import('./hooks.js')).command,
  },
  demo: {
    summary: 'the whole loop on a local simulator with sample notes',
    load: async () => (await import('./demo.js')).command,
  },
};
