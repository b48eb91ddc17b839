import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SyncError } from '../model/errors.js';
import { idProblem } from '../model/ids.js';

/** The short forms every command that has the long one takes (README, "Conventions"). */
export const QUIET = { type: 'boolean', short: 'q', default: false } as const;
export const VERBOSE = { type: 'boolean', short: 'v', default: false } as const;
export const DRY_RUN = { type: 'boolean', short: 'n', default: false } as const;
export const JSON_OUT = { type: 'boolean', default: false } as const;

/**
 * `parseArgs` for a command, with one change: an unknown option is a USAGE error that names the
 * command and, when one of its options is close (edit distance), suggests it.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const unknown = /Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
    if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown === undefined) throw error;
    const names = Object.keys(config.options ?? {}).map((n) => `--${n}`);
    const hint = suggest(unknown.split('=')[0]!, [...names, '--help']);
    throw new SyncError(
      'USAGE',
      `unknown option \`${unknown}\`${hint === null ? '' : `; did you mean \`${hint}\`?`} (\`taskade-sync help ${command}\` lists the options)`,
      { option: unknown },
    );
  }
}

/**
 * The candidate closest to `typed` when it is close enough to be a typo: at most one edit per
 * three characters (two at most), or `typed` is a prefix of exactly one candidate.
 */
export function suggest(typed: string, candidates: readonly string[]): string | null {
  const t = typed.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(t, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.min(2, Math.max(1, Math.floor(t.replace(/^-+/, '').length / 3)));
  if (best !== null && bestDistance <= allowed) return best;
  const prefixed = candidates.filter((c) => t.length >= 2 && c.toLowerCase().startsWith(t));
  return prefixed.length === 1 ? prefixed[0]! : null;
}

/**
 * Optimal string alignment distance (Levenshtein plus swapping two neighbours, so `snyc` is one
 * edit from `sync`), by the usual dynamic programme over two rows and the one before them.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The ids given as flags or arguments (`--project`, `--folder`, `--workspace`, `ls … ID`), checked
 * before anything is opened: an id goes into a request path, so `..` or `a/b` is a USAGE error
 * naming the flag, never a request.
 */
export function checkIdArgs(ids: Record<string, string | undefined>): void {
  for (const [flag, value] of Object.entries(ids)) {
    if (value === undefined) continue;
    const problem = idProblem(value);
    if (problem !== null) throw new SyncError('USAGE', `\`${flag}\` ${problem}`, { flag });
  }
}
