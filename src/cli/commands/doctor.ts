import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/index.js';
import { findConfigFile, readToken } from '../../config/index.js';
import { readDaemonInfo } from '../../daemon/presence.js';
import { probeJournal, readLock } from '../../journal/index.js';
import { SyncError } from '../../model/errors.js';
import { EXIT, exitCodeFor, type ExitCode } from '../../model/exit-codes.js';
import { isTaskadeError, RequestQueue, TaskadeClient, toSyncError } from '../../taskade/index.js';
import { JSON_OUT, parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { loadCliConfig } from '../load-config.js';

const usage = `Usage: taskade-sync doctor [--json]

Checks the setup, in the order a sync needs it, and says for each line what to do:
  config     the sync.config.json found (or given by --config) and the notes root
  token      whether the variable \`tokenEnv\` names is set (the token is never printed)
  taskade    whether the API URL answers, and whether it accepts the token (one read: the
             token's workspaces)
  state-dir  whether the state dir is writable
  journal    whether the journal opens, and its schema version
  lock       whether a pass holds the lock, and who
  daemon     whether a daemon runs on this folder
  files      linked files (journal links and mappings) that are missing
It changes nothing: no state dir or journal is created, no journal is migrated.

Options:
  --json   one JSON document: {"version":1,"exitCode":N,"checks":[{check,status,detail,fix,exitCode}]}

Exit codes: 0 when no check failed (warnings do not fail); otherwise the code of the first
failed check: 2 config, token unset, state dir or journal unusable; 5 token refused;
6 Taskade unreachable.
`;

export interface Check {
  check: 'config' | 'token' | 'taskade' | 'state-dir' | 'journal' | 'lock' | 'daemon' | 'files';
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** What to do, when there is something to do. */
  fix: string | null;
  /** The exit code this check's failure stands for (null unless it failed). */
  exitCode: ExitCode | null;
}

/** How long doctor waits for Taskade before calling it unreachable (a sync would retry longer). */
const PROBE_TIMEOUT_MS = 10_000;
/** A lock held longer than this is worth a look (a pass takes seconds). */
const LONG_LOCK_MS = 10 * 60_000;

export const command: Command = {
  name: 'doctor',
  summary: 'check the config, token, Taskade, state dir, lock, daemon and linked files',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('doctor', {
      args: argv,
      options: { json: JSON_OUT },
      allowPositionals: false,
      strict: true,
    });
    const checks = await diagnose(io);
    const failed = checks.find((c) => c.status === 'fail');
    const exitCode = failed?.exitCode ?? EXIT.OK;
    if (values.json) io.stdout.write(JSON.stringify({ version: 1, exitCode, checks }, null, 2) + '\n');
    else io.stdout.write(renderChecks(checks));
    return exitCode;
  },
};

const ok = (check: Check['check'], detail: string, fix: string | null = null): Check => ({
  check,
  status: 'ok',
  detail,
  fix,
  exitCode: null,
});
const warn = (check: Check['check'], detail: string, fix: string): Check => ({
  check,
  status: 'warn',
  detail,
  fix,
  exitCode: null,
});
const fail = (check: Check['check'], detail: string, fix: string, exitCode: ExitCode): Check => ({
  check,
  status: 'fail',
  detail,
  fix,
  exitCode,
});
const skip = (check: Check['check'], detail: string): Check => ({
  check,
  status: 'skip',
  detail,
  fix: null,
  exitCode: null,
});

async function diagnose(io: CliIO): Promise<Check[]> {
  let config: ResolvedConfig;
  try {
    config = loadCliConfig(io);
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    const found = io.configFile ?? findConfigFile(io.cwd);
    const fix =
      found === null
        ? '`taskade-sync init` writes one here (or run with `-C DIR` / `--config FILE`)'
        : `correct ${found} as the message says (sync.config.example.json documents every key)`;
    const after = (['token', 'taskade', 'state-dir', 'journal', 'lock', 'daemon', 'files'] as const).map((c) =>
      skip(c, 'not checked: needs the config'),
    );
    return [fail('config', error.message, fix, exitCodeFor(error.code)), ...after];
  }
  const checks: Check[] = [ok('config', `${config.configPath ?? '(built in)'} (notes root ${config.root})`)];
  let token: string | undefined;
  try {
    token = readToken(config, io.env);
    checks.push(ok('token', `${config.tokenEnv} is set`));
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    const unset = !Object.prototype.hasOwnProperty.call(io.env, config.tokenEnv) || !io.env[config.tokenEnv]?.trim();
    checks.push(
      fail(
        'token',
        unset ? `${config.tokenEnv} is not set` : error.message,
        `export ${config.tokenEnv}=… (a personal access token, created in Taskade under Settings → API)`,
        exitCodeFor(error.code),
      ),
    );
  }
  checks.push(await checkTaskade(config, token));
  checks.push(...checkState(config));
  return checks;
}

/** One authenticated read (the token's workspaces) when there is a token; else a bare GET for reachability. */
async function checkTaskade(config: ResolvedConfig, token: string | undefined): Promise<Check> {
  const url = config.apiUrl;
  if (token === undefined) {
    try {
      const r = await fetch(`${url}/workspaces`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await r.body?.cancel();
      return ok(
        'taskade',
        `${url} answers (HTTP ${r.status} without a token); the token is not checked until it is set`,
      );
    } catch (error) {
      return unreachable(url, error);
    }
  }
  const client = new TaskadeClient({
    baseUrl: url,
    token,
    timeoutMs: PROBE_TIMEOUT_MS,
    queue: new RequestQueue({ requestsPerMinute: config.requestsPerMinute, maxRetries: 1, maxRateLimitRetries: 1 }),
  });
  try {
    const workspaces = await client.listWorkspaces();
    const names = workspaces.map((w) => `“${w.name}”`).join(', ');
    return ok(
      'taskade',
      `${url} accepts the token; it sees ${workspaces.length} workspace(s)${names === '' ? '' : `: ${names}`}`,
    );
  } catch (error) {
    if (!isTaskadeError(error)) throw error;
    if (error.kind === 'auth')
      return fail(
        'taskade',
        `${url} answers, but refuses the token in ${config.tokenEnv} (HTTP ${error.status ?? '?'})`,
        `create a new token in Taskade (Settings → API) and put it in ${config.tokenEnv}`,
        EXIT.AUTH,
      );
    if (error.kind === 'transient') return unreachable(url, error);
    const e = toSyncError(error);
    return fail('taskade', `${url}: ${e.message}`, 'check `apiUrl` (or TASKADE_API_URL)', exitCodeFor(e.code));
  } finally {
    await client.close();
  }
}

function unreachable(url: string, error: unknown): Check {
  const reason =
    error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return fail(
    'taskade',
    `${url} does not answer (${reason})`,
    'check the network, and `apiUrl` in the config or TASKADE_API_URL; a sync keeps local changes until Taskade answers',
    EXIT.UNREACHABLE,
  );
}

function checkState(config: ResolvedConfig): Check[] {
  const out: Check[] = [];
  const dir = config.stateDir;
  if (!existsSync(dir)) {
    out.push(ok('state-dir', `${dir} does not exist yet; the first sync creates it`));
  } else if (!statSync(dir).isDirectory()) {
    out.push(fail('state-dir', `${dir} is not a folder`, 'move it aside, or set `stateDir` in the config', EXIT.USAGE));
  } else {
    try {
      rmSync(mkdtempSync(join(dir, '.doctor-')), { recursive: true });
      out.push(ok('state-dir', `${dir} is writable`));
    } catch (error) {
      out.push(
        fail(
          'state-dir',
          `${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          `give yourself write access to ${dir}, or set \`stateDir\` in the config`,
          EXIT.USAGE,
        ),
      );
    }
  }

  const probe = probeJournal(config.journalPath);
  if (!probe.exists) out.push(ok('journal', `${config.journalPath} does not exist yet; the first sync creates it`));
  else if (probe.error !== undefined || probe.version === null)
    out.push(
      fail(
        'journal',
        `${config.journalPath} cannot be read as a journal (${probe.error ?? 'unknown error'})`,
        'move the file aside: the next sync starts a fresh journal and re-links files by content',
        EXIT.USAGE,
      ),
    );
  else if (probe.version > probe.latest)
    out.push(
      fail(
        'journal',
        `${config.journalPath} has schema version ${probe.version}, newer than this taskade-sync supports (${probe.latest})`,
        'upgrade taskade-sync (or move the file aside to start a fresh journal)',
        EXIT.USAGE,
      ),
    );
  else
    out.push(
      ok(
        'journal',
        probe.version === probe.latest
          ? `${config.journalPath} opens; schema version ${probe.version} (current)`
          : `${config.journalPath} opens; schema version ${probe.version}, migrated to ${probe.latest} by the next run`,
      ),
    );

  const lock = readLock(dir);
  if (lock === null) out.push(ok('lock', 'free (no pass is running)'));
  else {
    const held = Date.now() - lock.since;
    const who = `pid ${lock.pid} on ${lock.hostname} (${lock.purpose}), for ${Math.round(held / 1000)} s`;
    out.push(
      held > LONG_LOCK_MS
        ? warn('lock', `held by ${who}`, `a pass takes seconds: if pid ${lock.pid} hangs, stop it (kill ${lock.pid})`)
        : ok('lock', `held by ${who}; a sync started now waits up to ${config.lockWaitMs} ms`),
    );
  }

  const daemon = readDaemonInfo(dir);
  out.push(
    daemon === null
      ? ok('daemon', 'not running', '`taskade-sync watch` (or a service unit, README "Running it as a service")')
      : ok('daemon', `running: pid ${daemon.pid} on ${daemon.hostname}, since ${new Date(daemon.since).toISOString()}`),
  );

  const linked = new Map<string, string>();
  for (const l of probe.links) linked.set(l.path, l.projectId);
  for (const m of config.mappings) if (!linked.has(m.file)) linked.set(m.file, m.project);
  const missing = [...linked].filter(([path]) => !existsSync(join(config.root, path)));
  out.push(
    missing.length === 0
      ? ok('files', `${linked.size} linked file(s), none missing`)
      : warn(
          'files',
          `${missing.length} of ${linked.size} linked file(s) missing: ${missing.map(([p, id]) => `${p} (project ${id})`).join(', ')}`,
          'restore the file (git checkout, the trash), or link another file to the project with `taskade-sync link FILE --project ID`; Taskade keeps the project as it is',
        ),
  );
  return out;
}

const MARK: Record<Check['status'], string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: '--' };

export function renderChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status].padEnd(4)}  ${c.check.padEnd(width)}  ${c.detail}`);
    if (c.fix !== null) lines.push(`${' '.repeat(4 + 2 + width + 2)}→ ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(
    failed + warned === 0
      ? 'all good'
      : `${failed} failed, ${warned} warning(s)${failed > 0 ? '' : '; nothing failed'}`,
  );
  return lines.join('\n') + '\n';
}
