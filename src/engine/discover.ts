import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { makePathFilter, type ResolvedConfig } from '../config/index.js';
import type { Journal } from '../journal/index.js';

export interface LinkedFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  /** From the front matter, else from `mappings`; null when neither links it. */
  projectId: string | null;
}

/**
 * The files a sync covers: every included file whose front matter names a project
 * (`taskade.project`), every mapped file, and every file the journal has linked before. The
 * front matter is read cheaply here; the engine re-reads it from the full parse.
 */
export function discoverLinkedFiles(config: ResolvedConfig, journal: Journal): LinkedFile[] {
  const keep = makePathFilter(config.include, config.exclude);
  const mapped = new Map(config.mappings.map((m) => [m.file, m.project] as const));
  const out = new Map<string, LinkedFile>();
  for (const path of walk(config.root, config.stateDir)) {
    if (!keep(path) && !mapped.has(path)) continue;
    const project = frontMatterProject(readHead(join(config.root, path))) ?? mapped.get(path) ?? null;
    if (project !== null) out.set(path, { path, projectId: project });
  }
  for (const [file, project] of mapped) {
    if (!out.has(file) && existsSync(join(config.root, file))) out.set(file, { path: file, projectId: project });
  }
  for (const link of journal.listLinks()) {
    if (!out.has(link.path) && existsSync(join(config.root, link.path)))
      out.set(link.path, { path: link.path, projectId: null });
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Linked files the journal knows that are gone from the disk. Their projects are left alone (a
 * deleted file never deletes tasks); the sync reports them so the user can restore or unlink.
 */
export function missingLinkedFiles(
  config: ResolvedConfig,
  journal: Journal,
): Array<{ path: string; projectId: string }> {
  return journal
    .listLinks()
    .filter((l) => !existsSync(join(config.root, l.path)))
    .map((l) => ({ path: l.path, projectId: l.projectId }));
}

/** The project a file's own front matter or the config's mappings link it to. */
export function projectOfFile(config: ResolvedConfig, path: string, frontMatter: string | null): string | null {
  return frontMatter ?? config.mappings.find((m) => m.file === path)?.project ?? null;
}

function* walk(root: string, stateDir: string): Generator<string> {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (abs !== stateDir && e.name !== '.git' && e.name !== 'node_modules') stack.push(abs);
      } else if (e.isFile()) {
        yield relative(root, abs).split(sep).join('/');
      }
    }
  }
}

function readHead(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(0, 16_384);
  } catch {
    return '';
  }
}

/** `taskade.project` from a YAML front matter block at the very top, or null. */
export function frontMatterProject(text: string): string | null {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text);
  if (m === null) return null;
  try {
    const data: unknown = parseYaml(m[1]!);
    const taskade = (data as { taskade?: unknown } | null)?.taskade;
    const project = (taskade as { project?: unknown } | null | undefined)?.project;
    return typeof project === 'string' && project !== '' ? project : null;
  } catch {
    return null;
  }
}
