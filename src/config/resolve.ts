import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SyncError } from '../model/errors.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { INVALID, type Issue, type KeyPath } from './validate.js';

export const CONFIG_FILE = 'sync.config.json';

/** The config after schema, normalisation and rules: absolute paths, env overrides applied. */
export interface ResolvedConfig extends Omit<ParsedConfig, 'root' | 'stateDir' | 'mappings' | '$comment'> {
  /** Absolute path of the `sync.config.json` this came from (null when built in code). */
  configPath: string | null;
  /** Absolute notes root. */
  root: string;
  /** Absolute state dir (journal, lock). */
  stateDir: string;
  /** Absolute path of the journal database. */
  journalPath: string;
  /** `file` relative to the root with `/` separators. */
  mappings: Array<{ file: string; project: string }>;
}

/** Finds `sync.config.json` in `cwd` or the nearest folder above it, like git finds its repo. */
export function findConfigFile(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Loads and validates the config found from `cwd` (or the one `file` names: `--config FILE`);
 * exit 2 (CONFIG) when missing or invalid.
 */
export function loadConfig(cwd: string, env: NodeJS.ProcessEnv, file?: string): ResolvedConfig {
  if (file !== undefined && !existsSync(file)) {
    throw new SyncError('CONFIG', `${file} (given by --config) does not exist`, { path: file });
  }
  const path = file ?? findConfigFile(cwd);
  if (path === null) {
    throw new SyncError(
      'CONFIG',
      `no ${CONFIG_FILE} in ${resolve(cwd)} or any folder above it; run \`taskade-sync init\` to write one`,
      { cwd },
    );
  }
  let text: string;
  try {
    // Windows editors (Notepad) save UTF-8 with a byte order mark, which JSON.parse refuses.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new SyncError('CONFIG', `${path}: cannot be read (${(error as Error).message})`, { path }, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyncError(
      'CONFIG',
      `${path}: is not valid JSON (${(error as Error).message})`,
      { path },
      { cause: error },
    );
  }
  return resolveConfig(json, { configPath: path, env });
}

/**
 * Schema → normalise → rules. `configPath` anchors relative paths (its folder); without one,
 * `baseDir` does (for configs built in code and tests).
 */
export function resolveConfig(
  input: unknown,
  o: { configPath?: string | null; baseDir?: string; env?: NodeJS.ProcessEnv; checkRoot?: boolean },
): ResolvedConfig {
  const label = o.configPath ?? CONFIG_FILE;
  const tooDeep = firstTooDeep(input);
  if (tooDeep !== null) {
    throw new SyncError(
      'CONFIG',
      `${label}: \`${tooDeep === '' ? '(top level)' : tooDeep}\` is nested more than ${MAX_DEPTH} levels deep, ` +
        'expected the shape documented in sync.config.example.json (at most 3 levels)',
      { path: label, key: tooDeep },
    );
  }
  const issues: Issue[] = [];
  const parsed = configSchema(input, [], issues);
  if (parsed === INVALID) {
    const messages = issues.map((issue) => describeIssue(issue, input));
    throw new SyncError('CONFIG', `${label}: ${messages.join('; ')}`, { path: label, issues: messages });
  }
  const { $comment: _documentation, ...c } = parsed;
  const baseDir = o.configPath != null ? dirname(o.configPath) : resolve(o.baseDir ?? '.');
  const root = resolve(baseDir, c.root);
  const stateDir = resolve(root, c.stateDir);
  const env = o.env ?? {};
  const envUrl = env.TASKADE_API_URL;
  const apiUrl = (envUrl !== undefined && envUrl !== '' ? envUrl : c.apiUrl).replace(/\/+$/, '');
  if (envUrl !== undefined && envUrl !== '' && !/^https?:\/\/[^/]+/.test(envUrl)) {
    throw new SyncError(
      'CONFIG',
      `environment: \`TASKADE_API_URL\` is ${JSON.stringify(envUrl)}, expected an http(s) URL`,
    );
  }
  const mappings = c.mappings.map((m, i) => ({
    file: normaliseRelative(m.file, label, `mappings[${i}].file`),
    project: m.project,
  }));

  // Rules: relations between keys, checked after every key is valid on its own.
  const errors: string[] = [];
  if (c.watch.pollMinMs > c.watch.pollMaxMs) {
    errors.push(
      `\`watch.pollMinMs\` is ${c.watch.pollMinMs}, expected at most \`watch.pollMaxMs\` (${c.watch.pollMaxMs})`,
    );
  }
  if (c.include.length === 0) errors.push('`include` is [], expected at least one glob pattern');
  const seenFiles = new Map<string, number>();
  const seenProjects = new Map<string, number>();
  mappings.forEach((m, i) => {
    const f = seenFiles.get(m.file);
    if (f !== undefined)
      errors.push(
        `\`mappings[${i}].file\` is ${JSON.stringify(m.file)}, expected a file not already mapped (mappings[${f}])`,
      );
    seenFiles.set(m.file, i);
    const p = seenProjects.get(m.project);
    if (p !== undefined)
      errors.push(
        `\`mappings[${i}].project\` is ${JSON.stringify(m.project)}, expected a project not already mapped (mappings[${p}])`,
      );
    seenProjects.set(m.project, i);
  });
  if (o.checkRoot !== false && !isDirectory(root)) {
    errors.push(`\`root\` is ${JSON.stringify(c.root)}, expected an existing folder (${root})`);
  }
  const notAFolder = o.checkRoot === false ? null : existingNonFolder(stateDir);
  if (notAFolder !== null) {
    errors.push(
      `\`stateDir\` is ${JSON.stringify(c.stateDir)}, expected a folder, but ${notAFolder} is a file ` +
        '(name a folder that does not exist yet, or the default ".taskade-sync")',
    );
  }
  if (errors.length > 0)
    throw new SyncError('CONFIG', `${label}: ${errors.join('; ')}`, { path: label, issues: errors });

  return {
    ...c,
    configPath: o.configPath ?? null,
    root,
    stateDir,
    journalPath: join(stateDir, 'state.db'),
    apiUrl,
    mappings,
  };
}

/** `path` or its nearest existing ancestor, when that is not a folder (the state dir cannot be made there). */
function existingNonFolder(path: string): string | null {
  for (let at = path; ; at = dirname(at)) {
    try {
      return statSync(at).isDirectory() ? null : at;
    } catch {
      if (dirname(at) === at) return null;
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A mapping path must stay inside the root: relative, no `..` escaping it. */
function normaliseRelative(file: string, label: string, key: string): string {
  const posix = file.split(sep).join('/').replace(/^\.\//, '');
  const rel = relative('/r', resolve('/r', posix)).split(sep).join('/');
  if (isAbsolute(file) || rel.startsWith('..') || rel === '') {
    throw new SyncError('CONFIG', `${label}: \`${key}\` is ${JSON.stringify(file)}, expected a path inside \`root\``);
  }
  return rel;
}

/** The config's own shape is 3 levels deep (`mappings[0].file`); `$comment` may hold a little more. */
const MAX_DEPTH = 32;

/**
 * The key path of the first value nested deeper than MAX_DEPTH, or null. Iterative: JSON.parse
 * reads 100,000 nested brackets fine, but the schema, the messages (JSON.stringify) and anything
 * recursive after it would overflow the stack.
 */
function firstTooDeep(input: unknown): string | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) return formatPath(path.slice(0, 3)) + (path.length > 3 ? '…' : '');
    for (const [k, v] of Object.entries(value))
      stack.push({ value: v, path: [...path, Array.isArray(value) ? Number(k) : k] });
  }
  return null;
}

/** One message grammar: "`key` is VALUE, expected EXPECTATION". */
function describeIssue(issue: Issue, input: unknown): string {
  const key = formatPath(issue.path);
  if (issue.kind === 'unknown-keys') {
    const where = key === '' ? '' : ` in \`${key}\``;
    return issue.keys
      .map(
        (k) =>
          `\`${key === '' ? k : `${key}.${k}`}\` is not a known key${where}, expected one of the keys documented in sync.config.example.json`,
      )
      .join('; ');
  }
  const value = valueAt(input, issue.path);
  const shown = value === undefined ? 'missing' : truncate(JSON.stringify(value));
  return `\`${key === '' ? '(top level)' : key}\` is ${shown}, expected ${issue.expected}`;
}

function formatPath(path: KeyPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(input: unknown, path: KeyPath): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
