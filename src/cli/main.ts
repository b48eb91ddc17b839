import { SyncError } from '../model/errors.js';
import type { CliIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, exitCodeFor } from '../model/exit-codes.js';
import { version } from './version.js';

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
    'Run `taskade-sync <command> --help` for the options of a command.',
    'Exit codes: 0 done, 1 unexpected error, 2 usage or config error, 3 conflicts pending,',
    '4 safety guard stopped the run, 5 authentication refused, 6 Taskade unreachable, 7 locked.',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code. The one place errors become messages. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage() + '\n');
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(version + '\n');
    return EXIT.OK;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.stderr.write(
      `taskade-sync: unknown command \`${name}\`, expected one of: ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return EXIT.USAGE;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.usage.trimEnd() + '\n');
      return EXIT.OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, name, io);
  }
}

function reportError(error: unknown, command: string, io: CliIO): number {
  if (error instanceof SyncError) {
    io.stderr.write(`taskade-sync ${command}: ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  // node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad flags.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`taskade-sync ${command}: ${(error as Error).message}\n`);
    return EXIT.USAGE;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`taskade-sync ${command}: unexpected error: ${message}\n`);
  return EXIT.UNEXPECTED;
}
