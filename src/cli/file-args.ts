import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { discoverLinkedFiles } from '../engine/index.js';
import type { Journal } from '../journal/index.js';
import { SyncError } from '../model/errors.js';

/**
 * FILEs named on the command line (root-relative) must be ones a sync covers; otherwise the user
 * mistyped or forgot to link, and a pass that silently skips them would exit 0 having done nothing.
 * A file the journal links is accepted even when gone: its deletion is something the sync handles.
 */
export function checkFileArgs(config: ResolvedConfig, journal: Journal, files: string[], typed: string[]): void {
  let linked: Set<string> | null = null;
  files.forEach((rel, i) => {
    if (journal.getLinkByPath(rel) !== null) return;
    const name = typed[i] ?? rel;
    if (!existsSync(join(config.root, rel)))
      throw new SyncError('USAGE', `${name} does not exist (and no file of that name was linked)`, { file: rel });
    linked ??= new Set(discoverLinkedFiles(config, journal).flatMap((f) => (f.projectId === null ? [] : [f.path])));
    if (!linked.has(rel))
      throw new SyncError(
        'USAGE',
        `${name} is not linked to a Taskade project (or not matched by \`include\`); \`taskade-sync link ${name} --project ID\` links it`,
        { file: rel },
      );
  });
}
