import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { makeNotesRoot } from '../support/notes-root.js';
import { startCheckedSimulator, type CheckedSimulator } from '../support/simulator.js';

/** A notes root with a sync.config.json pointing at a checked simulator, driven through the CLI. */
export interface CliWorld {
  sim: CheckedSimulator;
  root: string;
  env: NodeJS.ProcessEnv;
  run(...argv: string[]): Promise<CliResult>;
  write(path: string, content: string): void;
  read(path: string): string;
  close(): Promise<void>;
}

export async function startCliWorld(config: Record<string, unknown> = {}): Promise<CliWorld> {
  const sim = await startCheckedSimulator();
  // The notes root sits in a private parent folder, so a test can check that nothing is ever
  // written next to the root (`../x.md`) without meeting other processes' files in the temp dir.
  const notes = makeNotesRoot('tsync-cli-', { nested: true });
  const root = notes.root;
  writeFileSync(
    join(root, 'sync.config.json'),
    JSON.stringify({ requestsPerMinute: 100000, lockWaitMs: 200, ...config }),
  );
  const env = { TASKADE_TOKEN: sim.token, TASKADE_API_URL: sim.baseUrl };
  return {
    sim,
    root,
    env,
    run: (...argv) => runCli(argv, { cwd: root, env }),
    write: notes.write,
    read: notes.read,
    async close() {
      notes.remove();
      await sim.close();
    },
  };
}

export function linkedFile(projectId: string, items: string[]): string {
  return `---\ntaskade:\n  project: ${projectId}\n---\n# Notes\n\n${items.join('\n')}\n`;
}
