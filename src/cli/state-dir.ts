import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The state dir holds this machine's journal, lock and daemon presence. Shared through git or a
 * file sync it would make the other machine read a journal that is not its own, so the folder
 * ignores itself. A `.gitignore` the user already put there is left as it is.
 */
export function ensureStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true });
  const ignore = join(stateDir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, "# taskade-sync: this machine's journal and lock, never shared\n*\n");
}
