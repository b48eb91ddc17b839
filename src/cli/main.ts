import { resolve } from 'node:path';
import { SyncError } from '../model/errors.js';
import { suggest } from './args.js';
import type { CliIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, exitCodeFor } from '../model/exit-codes.js';
import { version } from './version.js';

const GLOBAL_OPTIONS = [
  'Global options (before or after the command):',
  '  -C DIR          run as if started in DIR (for cron and service units)',
  '  --config FILE   use FILE instead of the sync.config.json found from the current folder up',
  '  -h, --help      print help (also `taskade-sync help <command>`)',
];

const ENVIRONMENT = [
  'Environment:',
  '  TASKADE_TOKEN     the Taskade personal access token (the config key `tokenEnv` names another',
  '                    variable); never printed or written',
  '  TASKADE_API_URL   overrides the config key `apiUrl` (e.g. a local simulator)',
];

/** Said below the general usage and below every command's. */
const COMMON = [...GLOBAL_OPTIONS, '', ...ENVIRONMENT].join('\n');

function usage(): string {
  const width = Math.max(0, ...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: taskade-sync <command> [options]',
    '',
    'Two-way sync between Taskade projects and a folder of markdown notes.',
    '',
    'Commands:',
    ...lines,
    '',
    ...GLOBAL_OPTIONS,
    '  -V, --version   print the version',
    '',
    ...ENVIRONMENT,
    '',
    'Run `taskade-sync help <command>` for the options of a command.',
    'Exit codes: 0 done, 1 unexpected error, 2 usage or config error, 3 conflicts pending,',
    '4 safety guard stopped the run, 5 authentication refused, 6 Taskade unreachable, 7 locked.',
  ].join('\n');
}

interface Globals {
  argv: string[];
  dir?: string;
  config?: string;
}

/** Takes `-C DIR` and `--config FILE` out of argv, wherever they stand before a `--`. */
function globalOptions(argv: string[]): Globals {
  const out: Globals = { argv: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a === '--') {
      out.argv.push(...argv.slice(i));
      break;
    }
    const inline = a.startsWith('--config=') ? a.slice('--config='.length) : undefined;
    if (a === '-C' || a === '--config') {
      const value = argv[i + 1];
      if (value === undefined || value === '')
        throw new SyncError('USAGE', `\`${a}\` expects a value (${a === '-C' ? 'a folder' : 'a config file'})`);
      if (a === '-C') out.dir = value;
      else out.config = value;
      i += 1;
    } else if (inline !== undefined) out.config = inline;
    else out.argv.push(a);
  }
  return out;
}

/** The command an invocation runs (not its help), or undefined: what bin.ts tunes the process for. */
export function commandOf(argv: string[]): string | undefined {
  try {
    const [name, ...rest] = globalOptions(argv).argv;
    return rest.includes('--help') || rest.includes('-h') ? undefined : name;
  } catch {
    return undefined;
  }
}

/** Runs one CLI invocation and returns its exit code. The one place errors become messages. */
export async function main(argv: string[], baseIO: CliIO): Promise<number> {
  let globals: Globals;
  try {
    globals = globalOptions(argv);
  } catch (error) {
    return reportError(error, null, baseIO);
  }
  const cwd = globals.dir === undefined ? baseIO.cwd : resolve(baseIO.cwd, globals.dir);
  const io: CliIO = {
    ...baseIO,
    cwd,
    ...(globals.config !== undefined ? { configFile: resolve(cwd, globals.config) } : {}),
  };
  const [name, ...rest] = globals.argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout.write(usage() + '\n');
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(version + '\n');
    return EXIT.OK;
  }
  const helpOf = name === 'help' ? rest[0]! : undefined;
  const commandName = helpOf ?? name;
  const entry = COMMANDS[commandName];
  if (entry === undefined) {
    const hint = suggest(commandName, Object.keys(COMMANDS));
    const what = commandName.startsWith('-') ? 'option' : 'command';
    baseIO.stderr.write(
      `taskade-sync: unknown ${what} \`${commandName}\`${hint !== null && what === 'command' ? `; did you mean \`${hint}\`?` : ''} (commands: ${Object.keys(COMMANDS).join(', ')}; \`taskade-sync --help\` explains them)\n`,
    );
    return EXIT.USAGE;
  }
  try {
    const command = await entry.load();
    if (helpOf !== undefined || rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.usage.trimEnd()}\n\n${COMMON}\n`);
      return EXIT.OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, commandName, io);
  }
}

function reportError(error: unknown, command: string | null, io: CliIO): number {
  const who = command === null ? 'taskade-sync' : `taskade-sync ${command}`;
  if (error instanceof SyncError) {
    io.stderr.write(`${who}: ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  // node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad flags.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`${who}: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`${who}: unexpected error: ${message}\n`);
  return EXIT.UNEXPECTED;
}
