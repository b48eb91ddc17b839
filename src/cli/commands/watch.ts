import { readToken } from '../../config/index.js';
import { streamLogger } from '../../daemon/log-output.js';
import { startWatch } from '../../daemon/start.js';
import { JSON_OUT, parseCommandArgs, VERBOSE } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { loadCliConfig } from '../load-config.js';
import { ensureStateDir } from '../state-dir.js';

const usage = `Usage: taskade-sync watch [--json] [--verbose]

Keeps the notes folder and Taskade in step until stopped (Ctrl-C, SIGTERM): syncs a file a
moment after it is saved, polls the linked projects (often when they change, rarely when idle,
always within \`requestsPerMinute\`), and prints one line per change applied.

Options:
  --json          one JSON object per log line (for machines; the one command whose --json is a
                  stream of documents, one a line, not one document)
  -v, --verbose   also log polls, passes and ignored echoes of our own writes

Exit codes: 0 stopped by a signal; 2 config error; 5 the token was refused (the daemon stops);
7 another daemon already watches this folder. Taskade being unreachable is not fatal: the
daemon keeps local changes, backs off, and catches up when Taskade answers.
`;

const options = {
  json: JSON_OUT,
  verbose: VERBOSE,
} as const;

export const command: Command = {
  name: 'watch',
  summary: 'the daemon: sync on every save and poll Taskade, until Ctrl-C',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('watch', { args: argv, options, allowPositionals: false, strict: true });
    const config = loadCliConfig(io);
    const token = readToken(config, io.env);
    ensureStateDir(config.stateDir);
    const logger = streamLogger({ out: io.stdout, err: io.stderr, json: values.json, verbose: values.verbose });
    const session = await startWatch({ config, token, logger });
    const onAbort = (): void => void session.stop();
    if (io.signal.aborted) onAbort();
    else io.signal.addEventListener('abort', onAbort, { once: true });
    const exit = await session.done;
    io.signal.removeEventListener('abort', onAbort);
    if (exit.exitCode !== 0 && exit.message !== undefined && !values.json) {
      io.stderr.write(`taskade-sync watch: ${exit.message.split('\n')[0]}\n`);
    }
    return exit.exitCode;
  },
};
