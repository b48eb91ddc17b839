import { existsSync } from 'node:fs';
import { collectStatus, renderStatus } from '../../daemon/status.js';
import { Journal } from '../../journal/index.js';
import { JSON_OUT, parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { loadCliConfig } from '../load-config.js';
import { EXIT } from '../../model/exit-codes.js';

const usage = `Usage: taskade-sync status [--json]

Shows the linked files and projects, local changes not synced yet, pending conflicts, the last
runs, the requests used in the last hour against the budget, and whether a daemon is running.
Reads only the notes folder and the state dir: it needs no token and sends no request, so
remote changes show as unknown (\`taskade-sync sync --dry-run\` reads them).

Options:
  --json   the same as one JSON object (schema in the README)

Exit codes: 0, or 3 when conflicts are pending (like \`sync\`); 2 config error.
`;

export const command: Command = {
  name: 'status',
  summary: 'linked files, pending changes, conflicts, last runs, budget, daemon',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('status', {
      args: argv,
      options: { json: JSON_OUT },
      allowPositionals: false,
      strict: true,
    });
    const config = loadCliConfig(io);
    // Never create a state dir just to report that there is none.
    const journal = existsSync(config.journalPath) ? Journal.open(config.journalPath) : null;
    try {
      const now = Date.now();
      const report = collectStatus(config, journal, now);
      io.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : renderStatus(report, now));
      return report.conflicts.length > 0 ? EXIT.CONFLICTS : EXIT.OK;
    } finally {
      journal?.close();
    }
  },
};
