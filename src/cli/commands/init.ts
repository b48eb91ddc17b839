import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { parseArgs } from 'node:util';
import { CONFIG_FILE, resolveConfig } from '../../config/index.js';
import { SyncError } from '../../model/errors.js';
import { parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { EXIT } from '../../model/exit-codes.js';
import { ensureStateDir } from '../state-dir.js';

const usage = `Usage: taskade-sync init [options]

Writes ${CONFIG_FILE} in the current folder (or the file \`--config FILE\` names). With no flags on a terminal it asks a few
questions; with flags, or when not on a terminal, it asks nothing (defaults: notes root = here).

Options:
  --root DIR                 notes root, relative to the config file (default ".")
  --state-dir DIR            journal and lock folder, relative to the root (default ".taskade-sync")
  --api-url URL              Taskade API base URL (default https://www.taskade.com/api/v1)
  --token-env NAME           environment variable holding the token (default TASKADE_TOKEN)
  --ids block|none           identity of synced items (default block)
  --conflict-winner remote|local   side that wins a conflict (default remote)
  --delete-guard-share N     stop when a run would delete more than this share (default 0.5)
  --delete-guard-min N       …and at least this many tasks (default 5)
  --requests-per-minute N    request budget per token (default 60)
  --lock-wait-ms N           how long sync waits for the lock (default 30000)
  --force                    overwrite an existing ${CONFIG_FILE}
  --json                     print {"version":1,"config":PATH,"stateDir":DIR} instead of the lines
`;

const options = {
  root: { type: 'string' },
  'state-dir': { type: 'string' },
  'api-url': { type: 'string' },
  'token-env': { type: 'string' },
  ids: { type: 'string' },
  'conflict-winner': { type: 'string' },
  'delete-guard-share': { type: 'string' },
  'delete-guard-min': { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'lock-wait-ms': { type: 'string' },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: false }>>['values'];

export const command: Command = {
  name: 'init',
  summary: `write ${CONFIG_FILE} (asks only on a terminal, and only without flags)`,
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('init', { args: argv, options, allowPositionals: false, strict: true });
    const path = io.configFile ?? join(io.cwd, CONFIG_FILE);
    if (existsSync(path) && values.force !== true) {
      throw new SyncError('USAGE', `${path} already exists; use --force to overwrite it`, { path });
    }
    const given = Object.entries(values).some(([k, v]) => k !== 'force' && k !== 'json' && v !== undefined);
    // --json: nothing but the document on stdout, so no questions either.
    const answers = !given && io.isTTY && !values.json ? await ask(io) : values;
    const config = toConfig(answers);
    // Validate exactly what we are about to write, so init never writes a config sync refuses.
    const resolved = resolveConfig(config, { configPath: path, env: {}, checkRoot: true });
    writeFileSync(path, JSON.stringify(config, null, 2) + '\n');
    ensureStateDir(resolved.stateDir);
    if (values.json) {
      io.stdout.write(JSON.stringify({ version: 1, config: path, stateDir: resolved.stateDir }, null, 2) + '\n');
      return EXIT.OK;
    }
    io.stdout.write(`wrote ${path} and ${join(resolved.stateDir, '.gitignore')}\n`);
    io.stdout.write(
      `next: export ${config.tokenEnv}=<your Taskade token>, then \`taskade-sync link FILE --project ID\` or \`taskade-sync pull --workspace ID\`\n`,
    );
    return EXIT.OK;
  },
};

function toConfig(v: Values) {
  return {
    root: v.root ?? '.',
    stateDir: v['state-dir'] ?? '.taskade-sync',
    apiUrl: v['api-url'] ?? 'https://www.taskade.com/api/v1',
    tokenEnv: v['token-env'] ?? 'TASKADE_TOKEN',
    ids: v.ids ?? 'block',
    conflictWinner: v['conflict-winner'] ?? 'remote',
    deleteGuard: {
      share: number(v['delete-guard-share'], 0.5),
      min: number(v['delete-guard-min'], 5),
    },
    requestsPerMinute: number(v['requests-per-minute'], 60),
    lockWaitMs: number(v['lock-wait-ms'], 30000),
    mappings: [],
  };
}

/** Flags arrive as strings; a non-number is passed through so the schema names it. */
function number(value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

async function ask(io: CliIO): Promise<Values> {
  const rl = createInterface({ input: process.stdin, output: io.stdout });
  try {
    const q = async (question: string, fallback: string): Promise<string> => {
      const answer = (await rl.question(`${question} [${fallback}]: `)).trim();
      return answer === '' ? fallback : answer;
    };
    return {
      root: await q('Notes folder (relative to here)', '.'),
      'conflict-winner': await q('Which side wins a conflict (remote/local)', 'remote'),
      'requests-per-minute': await q('Request budget per minute', '60'),
      'token-env': await q('Environment variable holding the token', 'TASKADE_TOKEN'),
      force: true,
      json: false,
    };
  } finally {
    rl.close();
  }
}
