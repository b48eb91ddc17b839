import { makePathFilter, type ResolvedConfig } from '../config/index.js';
import { frontMatterLink } from '../markdown/index.js';
import { fsNotes, type JournalPort, type NotesPort } from './ports.js';

export interface LinkedFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  /** From the front matter, else from `mappings`; null when neither links it. */
  projectId: string | null;
}

/**
 * The files a sync covers: every included file whose front matter names a project
 * (`taskade.project`), every mapped file, and every file the journal has linked before. The
 * front matter is read cheaply here (the file's head); the engine reads it again from the full parse.
 */
export function discoverLinkedFiles(
  config: ResolvedConfig,
  journal: Pick<JournalPort, 'listLinks'>,
  notes: NotesPort = fsNotes(config.root, config.stateDir),
): LinkedFile[] {
  const keep = makePathFilter(config.include, config.exclude);
  const mapped = new Map(config.mappings.map((m) => [m.file, m.project] as const));
  const out = new Map<string, LinkedFile>();
  for (const path of notes.list()) {
    if (!keep(path) && !mapped.has(path)) continue;
    const link = frontMatterLink(notes.peek(path));
    const project = link.project ?? mapped.get(path) ?? null;
    // A refused id (`project: ..`) is listed too: the sync skips the file naming its line.
    if (project !== null || link.refused) out.set(path, { path, projectId: project });
  }
  for (const [file, project] of mapped) {
    if (!out.has(file) && notes.exists(file)) out.set(file, { path: file, projectId: project });
  }
  for (const link of journal.listLinks()) {
    if (!out.has(link.path) && notes.exists(link.path)) out.set(link.path, { path: link.path, projectId: null });
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Linked files the journal knows that are gone from the disk. Their projects are left alone (a
 * deleted file never deletes tasks); the sync reports them so the user can restore or unlink.
 */
export function missingLinkedFiles(
  config: ResolvedConfig,
  journal: Pick<JournalPort, 'listLinks'>,
  notes: NotesPort = fsNotes(config.root, config.stateDir),
): Array<{ path: string; projectId: string }> {
  return journal
    .listLinks()
    .filter((l) => !notes.exists(l.path))
    .map((l) => ({ path: l.path, projectId: l.projectId }));
}

/** The project a file's own front matter or the config's mappings link it to. */
export function projectOfFile(config: ResolvedConfig, path: string, frontMatter: string | null): string | null {
  return frontMatter ?? config.mappings.find((m) => m.file === path)?.project ?? null;
}
