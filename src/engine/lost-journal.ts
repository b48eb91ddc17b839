import { frontMatterProject } from '../markdown/front-matter.js';
import { BLOCK_ID_PREFIX } from '../markdown/identity.js';
import type { NotesPort } from './ports.js';
import type { EngineDeps } from './types.js';

/** A block id the tool wrote, at the end of a line: ` ^tk-3f9a1c`. */
const BLOCK_ID = new RegExp(`[ \\t]${BLOCK_ID_PREFIX.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[A-Za-z0-9]+[ \\t]*$`, 'm');

/**
 * A journal that was deleted, emptied or replaced makes the next run a first sync: tasks are
 * matched again by their ids and content, nothing is deleted, and a task deleted on one side since
 * the last sync comes back. That is safe, but it must not be silent. The sign: the journal links
 * no file at all, yet linked files already carry block ids (`^tk-…`), which only a sync writes.
 * A file just pulled or linked by hand has none, so a real first sync says nothing.
 * Returns the files that show it (empty when all is as expected).
 */
export function filesSyncedBeforeTheJournal(deps: EngineDeps, notes: NotesPort, paths: readonly string[]): string[] {
  if (deps.journal.listLinks().length > 0) return [];
  const out: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = notes.read(path);
    } catch {
      continue; // the engine reports a file it cannot read, or one outside the root, on its own
    }
    const linked = frontMatterProject(text) !== null || deps.config.mappings.some((m) => m.file === path);
    if (linked && BLOCK_ID.test(text)) out.push(path);
  }
  return out;
}

export function warnIfJournalLost(deps: EngineDeps, notes: NotesPort, paths: readonly string[]): void {
  const shown = filesSyncedBeforeTheJournal(deps, notes, paths);
  if (shown.length === 0) return;
  deps.logger.event({
    level: 'warn',
    type: 'journal-lost',
    message:
      `the journal in ${deps.config.stateDir} knows none of the linked files, though ${shown.length} of them ` +
      `(${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ', …' : ''}) were synced before: it was deleted, emptied ` +
      'or replaced. This run is a first sync: tasks are matched again by id and content and nothing is deleted, ' +
      'so a task deleted on one side since the last sync comes back',
    data: { stateDir: deps.config.stateDir, files: shown },
  });
}
