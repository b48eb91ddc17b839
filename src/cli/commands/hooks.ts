import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SyncError } from '../../model/errors.js';
import { EXIT } from '../../model/exit-codes.js';
import { JSON_OUT, parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { loadCliConfig } from '../load-config.js';

const usage = `Usage: taskade-sync hooks install [--json]
       taskade-sync hooks uninstall [--json]

install: writes the git hooks post-commit and post-merge of the repository that holds the
config, each running \`taskade-sync sync --quiet\` (with \`-C DIR\` when the config is not at the
repository's top) and turning its exit code into one line of advice; they never block git.
The hooks folder is the one git uses (\`git rev-parse --git-path hooks\`: core.hooksPath and
worktrees included). A hook of the same name that is not ours is left alone and nothing is
installed; the message says which line to add to it to run both. Installing again updates ours.
uninstall: removes only our hooks (they carry the marker line "${'# taskade-sync-hook'}").

Options:
  --json   one JSON document: {"version":1,"action":…,"hooksDir":…,"hooks":[{name,path,result}]}

Exit codes: 0 done; 2 not in a git repository, or a hook that is not ours is in the way.
`;

export const HOOKS = ['post-commit', 'post-merge'] as const;
/** The line that makes a hook ours: install updates and uninstall removes only files that carry it. */
export const HOOK_MARKER =
  '# taskade-sync-hook: written by `taskade-sync hooks install`; `taskade-sync hooks uninstall` removes it';

const WHEN: Record<(typeof HOOKS)[number], string> = { 'post-commit': 'commit', 'post-merge': 'merge' };

/** Single-quoted for sh. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The sync command a hook runs; `args` locate the config from the repository's top (the hook's cwd). */
export function hookCommand(args: string[]): string {
  return ['taskade-sync', ...args.map(shellQuote), 'sync', '--quiet'].join(' ');
}

/** The hook's text (examples/git-hooks/ holds the form with no arguments). */
export function hookScript(hook: (typeof HOOKS)[number], args: string[] = []): string {
  return `#!/bin/sh
${HOOK_MARKER}
# One sync pass after each ${WHEN[hook]}. Git runs it in the repository's top folder; sync finds
# sync.config.json there or above (or where -C / --config point). If the daemon is in the middle of
# a pass, sync waits for it (lockWaitMs) instead of failing. Git ignores this hook's exit status,
# so the hook only reports: it never blocks your work.
command -v taskade-sync >/dev/null 2>&1 || exit 0
${hookCommand(args)}
status=$?
case $status in
  0) ;;
  3) echo "taskade-sync: conflicts pending — see \\\`taskade-sync status\\\`" >&2 ;;
  4) echo "taskade-sync: the deletion guard stopped the sync — review, then \\\`taskade-sync sync --force\\\`" >&2 ;;
  5) echo "taskade-sync: Taskade refused the token — see \\\`taskade-sync doctor\\\`" >&2 ;;
  6) echo "taskade-sync: Taskade unreachable; the next sync catches up" >&2 ;;
  7) echo "taskade-sync: another sync held the lock too long; skipped" >&2 ;;
  *) echo "taskade-sync: sync exited $status — see \\\`taskade-sync doctor\\\`" >&2 ;;
esac
exit 0
`;
}

interface HookResult {
  name: string;
  path: string;
  /** install: installed | updated | unchanged | refused (not ours) | skipped (another was refused); uninstall: removed | absent | kept (not ours). */
  result: 'installed' | 'updated' | 'unchanged' | 'refused' | 'skipped' | 'removed' | 'absent' | 'kept';
}

export const command: Command = {
  name: 'hooks',
  summary: 'install or remove the git hooks that run `sync --quiet` after commits and merges',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('hooks', {
      args: argv,
      options: { json: JSON_OUT },
      allowPositionals: true,
      strict: true,
    });
    const [action, ...extra] = positionals;
    if ((action !== 'install' && action !== 'uninstall') || extra.length > 0)
      throw new SyncError('USAGE', `expected \`hooks install\` or \`hooks uninstall\`\n${usage}`);
    const config = loadCliConfig(io);
    const configDir = dirname(config.configPath ?? join(config.root, 'sync.config.json'));
    const top = git(configDir, ['rev-parse', '--show-toplevel']);
    const hooksDir = resolve(configDir, git(configDir, ['rev-parse', '--git-path', 'hooks']));
    const args = locateFrom(top, configDir, io.configFile);
    const results: HookResult[] = action === 'install' ? install(hooksDir, args) : uninstall(hooksDir);
    const refused = results.filter((r) => r.result === 'refused');
    if (values.json) io.stdout.write(JSON.stringify({ version: 1, action, hooksDir, hooks: results }, null, 2) + '\n');
    else {
      for (const r of results)
        if (r.result !== 'refused')
          io.stdout.write(`${r.path}: ${r.result === 'kept' ? 'not a taskade-sync hook, kept' : r.result}\n`);
    }
    for (const r of refused)
      io.stderr.write(
        `taskade-sync hooks: ${r.path} is not a taskade-sync hook; it is left as it is and nothing was installed. ` +
          `To run both, add this line to it: ${hookCommand(args)} || true\n`,
      );
    return refused.length > 0 ? EXIT.USAGE : EXIT.OK;
  },
};

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new SyncError(
      'USAGE',
      `${cwd} is not inside a git repository (git ${args.join(' ')}: ${stderr || (error as Error).message}); hooks need one`,
      { cwd },
    );
  }
}

/** The hook runs in the repository's top folder: how it reaches this config from there. */
function locateFrom(top: string, configDir: string, configFile: string | undefined): string[] {
  const rel = (p: string) => relative(top, p).split(sep).join('/');
  if (configFile !== undefined) return ['--config', rel(configFile)];
  const dir = rel(configDir);
  return dir === '' ? [] : ['-C', dir];
}

function isOurs(path: string): boolean {
  return readFileSync(path, 'utf8').split('\n').includes(HOOK_MARKER);
}

function install(hooksDir: string, args: string[]): HookResult[] {
  const planned = HOOKS.map((name) => {
    const path = join(hooksDir, name);
    const exists = existsSync(path);
    const result: HookResult['result'] = !exists
      ? 'installed'
      : !isOurs(path)
        ? 'refused'
        : readFileSync(path, 'utf8') === hookScript(name, args)
          ? 'unchanged'
          : 'updated';
    return { name, path, result };
  });
  // All or nothing: half a set of hooks would sync after commits but not after merges.
  if (planned.some((p) => p.result === 'refused'))
    return planned.map((p) => (p.result === 'refused' ? p : { ...p, result: 'skipped' as const }));
  mkdirSync(hooksDir, { recursive: true });
  for (const p of planned) {
    if (p.result === 'unchanged') continue;
    writeFileSync(p.path, hookScript(p.name, args));
    chmodSync(p.path, 0o755);
  }
  return planned;
}

function uninstall(hooksDir: string): HookResult[] {
  return HOOKS.map((name) => {
    const path = join(hooksDir, name);
    if (!existsSync(path)) return { name, path, result: 'absent' };
    if (!isOurs(path)) return { name, path, result: 'kept' };
    rmSync(path);
    return { name, path, result: 'removed' };
  });
}
