import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { frontMatterLink } from '../markdown/index.js';
import type { Journal } from '../journal/index.js';
import { SyncError } from '../model/errors.js';

/**
 * FILEs named on the command line (root-relative) must be ones a sync covers; otherwise the user
 * mistyped or forgot to link, and a pass that silently skips them would exit 0 having done nothing.
 * A file the journal links is accepted even when gone: its deletion is something the sync handles.
 */
export function checkFileArgs(config: ResolvedConfig, journal: Journal, files: string[], typed: string[]): void {
  const mapped = new Set(config.mappings.map((m) => m.file));
  files.forEach((rel, i) => {
    if (journal.getLinkByPath(rel) !== null) return;
    const name = typed[i] ?? rel;
    if (!existsSync(join(config.root, rel)))
      throw new SyncError('USAGE', `${name} does not exist (and no file of that name was linked)`, { file: rel });
    // Only whether it names a project: where the file really lives (a symlink) is the engine's check,
    // and so is a refused id (`project: ..`), which it reports with its line.
    const link = mapped.has(rel) ? null : frontMatterLink(readFileSync(join(config.root, rel), 'utf8'));
    if (link !== null && link.project === null && !link.refused)
      throw new SyncError(
        'USAGE',
        `${name} is not linked to a Taskade project (no \`taskade.project\` in its front matter, no mapping); \`taskade-sync link ${name} --project ID\` links it`,
        { file: rel },
      );
  });
}
