import { resolve } from 'node:path';
import { runDemo } from '../../daemon/demo.js';
import { SyncError } from '../../model/errors.js';
import { parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';

const usage = `Usage: taskade-sync demo [--once] [--dir DIR] [--port N]

The whole loop on a local Taskade simulator, with nothing to set up: starts the simulator with
sample projects, copies the sample notes (examples/vault/) to a working folder, links and syncs
them, starts the daemon, then makes one edit on the Taskade side and one in a file and shows
both arriving. It then keeps running until Ctrl-C, telling you which file to edit and how to
look at the simulated Taskade side.

Options:
  --once       run the scripted part, then exit 0
  --dir DIR    working folder (empty or new); default a new temporary folder
  --port N     simulator port; default any free port
`;

export const command: Command = {
  name: 'demo',
  summary: 'the whole loop on a local simulator with sample notes',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('demo', {
      args: argv,
      options: { once: { type: 'boolean', default: false }, dir: { type: 'string' }, port: { type: 'string' } },
      allowPositionals: false,
      strict: true,
    });
    let port: number | undefined;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new SyncError(
          'USAGE',
          `Unexpected value \`${values.port}\` for \`--port\`, expected a port number from 0 to 65535`,
        );
      }
    }
    return runDemo({
      out: io.stdout,
      once: values.once,
      signal: io.signal,
      ...(values.dir !== undefined ? { dir: resolve(io.cwd, values.dir) } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  },
};
