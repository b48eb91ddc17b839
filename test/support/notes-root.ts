import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The real notes folder every test world builds on (the engine's, the CLI's and the daemon's):
 * a private temp folder, files written and read by root-relative path, removed with everything
 * in it. `parent` is the folder around the root (nothing else lives there), so a test can check
 * that nothing is ever written beside the root.
 */
export interface NotesRoot {
  root: string;
  parent: string;
  write(path: string, content: string): void;
  read(path: string): string;
  remove(): void;
}

export function makeNotesRoot(prefix: string, o: { nested?: boolean } = {}): NotesRoot {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  const root = o.nested === true ? join(parent, 'notes') : parent;
  if (root !== parent) mkdirSync(root);
  return {
    root,
    parent,
    write(path, content) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/** A file linked to a project by its front matter. */
export function linkedFile(projectId: string, body: string): string {
  return `---\ntaskade:\n  project: ${projectId}\n---\n${body}`;
}
