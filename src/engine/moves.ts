import type { ResolvedConfig } from '../config/index.js';
import { flattenOutline, frontMatterLink, parseOutline } from '../markdown/index.js';
import type { JournalPort, NotesPort } from './ports.js';
import { projectOfFile } from './discover.js';
import { ShortIdIndex } from './short-id-index.js';

/** One linked file as the move index reads it. */
export interface FileIds {
  path: string;
  projectId: string;
  /** The `^tk-` ids on its list items, as written (short forms). */
  ids: string[];
  /** The file parsed without errors (a file that did not is never a move's source). */
  parsed: boolean;
}

/** Where the tasks that changed files went. */
export interface Moves {
  /** project → its tasks whose items now sit in another linked file → that file. */
  out: Map<string, Map<string, string>>;
  /** file → its short ids that name a task moved in → that task and its project. */
  in: Map<string, Map<string, { projectId: string; taskId: string }>>;
}

/**
 * Which `^tk-` ids of one linked file name a task of another project, moved there from that
 * project's file: an id that no task of the file's own project matches (its journal base), that
 * exactly one other project's base matches, whose task that project's own file no longer carries
 * (else it is a copy: a new task, as before), and that no file earlier in path order took already.
 * Only projects whose files parsed without errors lose tasks this way.
 */
export function findMoves(files: readonly FileIds[], bases: ReadonlyMap<string, readonly string[]>): Moves {
  const index = new Map([...bases].map(([projectId, ids]) => [projectId, new ShortIdIndex(ids)] as const));
  const own = new Map<string, Set<string>>();
  const sources = new Set<string>();
  const broken = new Set<string>();
  const open: Array<{ path: string; projectId: string; short: string }> = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    (f.parsed ? sources : broken).add(f.projectId);
    const mine = own.get(f.projectId) ?? new Set<string>();
    own.set(f.projectId, mine);
    for (const short of f.ids) {
      const id = index.get(f.projectId)?.resolve(short) ?? null;
      if (id !== null) mine.add(id);
      else open.push({ path: f.path, projectId: f.projectId, short });
    }
  }
  const moves: Moves = { out: new Map(), in: new Map() };
  for (const { path, projectId, short } of open) {
    const hits: Array<[string, string]> = [];
    for (const [other, ids] of index) {
      if (other === projectId) continue;
      const id = ids.resolve(short);
      if (id !== null) hits.push([other, id]);
    }
    if (hits.length !== 1) continue;
    const [from, taskId] = hits[0]!;
    if (!sources.has(from) || broken.has(from) || own.get(from)!.has(taskId)) continue;
    const out = moves.out.get(from) ?? new Map<string, string>();
    if (out.has(taskId)) continue;
    out.set(taskId, path);
    moves.out.set(from, out);
    const into = moves.in.get(path) ?? new Map<string, { projectId: string; taskId: string }>();
    into.set(short, { projectId: from, taskId });
    moves.in.set(path, into);
  }
  return moves;
}

/**
 * The files whose parse can change `findMoves`' answer when `files` hold every `^tk-` token of
 * their text (a superset of their items' ids): those with a token that no task of their own
 * project matches but another project's does, and the files of those other projects. The others
 * cannot be a move's source or destination.
 */
export function filesToParse(files: readonly FileIds[], bases: ReadonlyMap<string, readonly string[]>): Set<string> {
  const index = new Map([...bases].map(([projectId, ids]) => [projectId, new ShortIdIndex(ids)] as const));
  const destinations = new Set<string>();
  const sources = new Set<string>();
  for (const f of files) {
    for (const short of f.ids) {
      if (index.get(f.projectId)?.resolve(short) != null) continue;
      for (const [other, ids] of index) {
        if (other === f.projectId || ids.resolve(short) === null) continue;
        destinations.add(f.path);
        sources.add(other);
      }
    }
  }
  return new Set(files.filter((f) => destinations.has(f.path) || sources.has(f.projectId)).map((f) => f.path));
}

/** Every `^tk-` token of a text, as the parser reads an item's id (a superset of the items' ids). */
const TOKEN = /\^tk-([A-Za-z0-9]+)/g;

/**
 * What one run knows and does about tasks that change files: the move index (built the first
 * time a pass needs it, from the linked files as they are then), the projects another file's pass
 * wrote (a list the poller read before is stale), and the passes to run again at the end. The
 * tasks created in their new project and still to delete in the old one are the journal's
 * (`moves`): they survive the run.
 */
export class RunMoves {
  #moves: Moves | null = null;
  #paths: string[] | null = null;
  readonly #touched = new Set<string>();
  readonly #passed = new Map<string, { path: string; held: Set<string>; waiting: Set<string> }>();
  readonly #again = new Set<string>();

  constructor(
    private readonly input: {
      config: ResolvedConfig;
      journal: Pick<JournalPort, 'listLinks' | 'hasBase' | 'getBase' | 'listMoves'>;
      notes: NotesPort;
      /** The run's files (the journal's links are looked at too). */
      paths: readonly string[];
    },
  ) {}

  /**
   * Which of `candidates` (base tasks the project's file does not name) went to another linked
   * file: `created` when the journal says they were created there, else `waiting` when the move
   * index finds their ids in another file.
   */
  movedOut(projectId: string, candidates: Iterable<string>): Map<string, 'waiting' | 'created'> {
    const out = new Map<string, 'waiting' | 'created'>();
    const wanted = [...candidates];
    if (wanted.length === 0) return out;
    const owed = new Set(this.input.journal.listMoves(projectId).map((m) => m.taskId));
    const rest = wanted.filter((id) => {
      if (owed.has(id)) out.set(id, 'created');
      return !owed.has(id);
    });
    if (rest.length === 0 || this.input.config.ids === 'none' || !this.#severalFiles()) return out;
    const there = this.#index().out.get(projectId);
    for (const id of rest) if (there?.has(id) === true) out.set(id, 'waiting');
    return out;
  }

  /** The task of another project a short id of this file names, if it moved in. */
  movedIn(path: string, short: string): { projectId: string; taskId: string } | null {
    if (this.input.config.ids === 'none' || !this.#severalFiles()) return null;
    return this.#index().in.get(path)?.get(short) ?? null;
  }

  /** Another file's pass wrote this project. */
  touch(projectId: string): void {
    this.#touched.add(projectId);
  }

  touched(projectId: string): boolean {
    return this.#touched.has(projectId);
  }

  /** A file's pass committed; `held` base rows stay for moves, `waiting` of them wait for a create. */
  passed(projectId: string, path: string, held: Iterable<string>, waiting: Iterable<string>): void {
    this.#passed.set(projectId, { path, held: new Set(held), waiting: new Set(waiting) });
  }

  /**
   * A pass carried tasks out of `projectId` and deleted `dropped` there. When that project's pass
   * ran before and left something that can go now (a task created elsewhere but not deleted, a
   * delete it held for a move), it runs again at the end of the run.
   */
  carriedFrom(projectId: string, dropped: ReadonlySet<string>, owed: boolean): void {
    const p = this.#passed.get(projectId);
    if (p === undefined) return;
    const freed = [...p.held].some((id) => !dropped.has(id) && !p.waiting.has(id));
    if (owed || freed) this.#again.add(p.path);
  }

  /** The files to pass again (each once). */
  takeAgain(): string[] {
    const out = [...this.#again];
    this.#again.clear();
    return out;
  }

  /** The run's files and the journal's linked files. */
  #allPaths(): string[] {
    this.#paths ??= [...new Set([...this.input.paths, ...this.input.journal.listLinks().map((l) => l.path)])];
    return this.#paths;
  }

  #severalFiles(): boolean {
    return this.#allPaths().length > 1;
  }

  /**
   * Every linked file's `^tk-` tokens first (a scan of its text); only the files those tokens can
   * involve in a move are parsed (`filesToParse`), so a run where nothing moved reads the others
   * once and parses none of them.
   */
  #index(): Moves {
    if (this.#moves !== null) return this.#moves;
    const { config, journal, notes } = this.input;
    const texts = new Map<string, string>();
    let files: FileIds[] = [];
    for (const path of this.#allPaths()) {
      let text: string;
      try {
        if (!notes.exists(path)) continue;
        text = notes.read(path);
      } catch {
        continue;
      }
      const projectId = projectOfFile(config, path, frontMatterLink(text).project);
      if (projectId === null) continue;
      texts.set(path, text);
      files.push({ path, projectId, ids: [...new Set([...text.matchAll(TOKEN)].map((m) => m[1]!))], parsed: true });
    }
    const bases = new Map<string, string[]>();
    for (const f of files) {
      if (!bases.has(f.projectId) && journal.hasBase(f.projectId))
        bases.set(
          f.projectId,
          journal.getBase(f.projectId).map((t) => t.id),
        );
    }
    const parse = filesToParse(files, bases);
    files = files.map((f) => {
      if (!parse.has(f.path)) return f;
      const outline = parseOutline(texts.get(f.path)!, { path: f.path });
      const ids = flattenOutline(outline).flatMap((n) => (n.kind === 'task' && n.id !== null ? [n.id] : []));
      return { ...f, ids, parsed: !outline.diagnostics.some((d) => d.severity === 'error') };
    });
    this.#moves = findMoves(files, bases);
    return this.#moves;
  }
}
