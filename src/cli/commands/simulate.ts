import { resolve } from 'node:path';
import { SyncError } from '../../model/errors.js';
import { startSimulator, type Behaviours, type Simulator, type SeedTask } from '../../simulator/index.js';
import { parseCommandArgs } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { EXIT } from '../../model/exit-codes.js';

const usage = `Usage: taskade-sync simulate [options]

Serves a local Taskade Public API v1 simulator until Ctrl-C, and prints how to point
taskade-sync at it. See README "The Taskade simulator".

Options:
  --port N             port to listen on (default 0: any free port)
  --host H             address to listen on (default 127.0.0.1)
  --state FILE         load state from FILE if present, save to it after each change
  --rate-limit N       requests per minute per token, answered with 429 past it (default off)
  --token T            accepted bearer token; repeat for several (default sim-token)
  --latency-ms N       delay added to every v1 response (default 0)
  --behaviour K=V      set a switch, e.g. rootNode=false, textMode=plain; repeatable
  --seed-demo          add a demo project when the workspace has none
`;

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  state: { type: 'string' },
  'rate-limit': { type: 'string' },
  token: { type: 'string', multiple: true },
  'latency-ms': { type: 'string' },
  behaviour: { type: 'string', multiple: true },
  'seed-demo': { type: 'boolean', default: false },
} as const;

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new SyncError(
      'USAGE',
      `Unexpected value \`${raw}\` for \`--${flag}\`, expected a whole number from ${min} to ${max}`,
      { flag, value: raw },
    );
  }
  return n;
}

/** `--behaviour key=value` → a partial Behaviours; the simulator checks names and values. */
function behaviours(pairs: string[]): Partial<Behaviours> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new SyncError(
        'USAGE',
        `Unexpected value \`${pair}\` for \`--behaviour\`, expected KEY=VALUE (e.g. rootNode=false)`,
        { value: pair },
      );
    const value = pair.slice(eq + 1);
    out[pair.slice(0, eq)] = value === 'true' ? true : value === 'false' ? false : value;
  }
  return out as Partial<Behaviours>;
}

const DEMO: SeedTask[] = [
  {
    text: 'Try the sync loop',
    children: [
      { text: 'Edit this task in your notes file', note: 'Notes are the indented paragraphs under an item.' },
      { text: 'Complete a task on either side', completed: true },
      { text: 'Give a task a due date', date: { date: '2030-01-15' }, assignees: ['alice'] },
    ],
  },
  { text: 'Read the README section "The Taskade simulator"' },
];

function describe(sim: Simulator, extra: { statePath?: string; rateLimit: number | null; demo?: string }): string {
  const ws = sim.workspace;
  const lines = [
    `Taskade simulator listening on ${sim.baseUrl}`,
    `  token:      ${sim.token}`,
    `  workspace:  ${ws.id}  ${ws.name} (its id is also its home folder id)`,
    ...ws.folders.map((f) => `  folder:     ${f.id}  ${f.name}`),
    ...(extra.demo === undefined ? [] : [`  project:    ${extra.demo}  Demo`]),
    `  state:      ${extra.statePath ?? 'in memory only (use --state FILE to keep it)'}`,
    `  rate limit: ${extra.rateLimit === null ? 'off' : `${extra.rateLimit} requests per minute per token`}`,
    '',
    'Point taskade-sync at it:',
    `  export TASKADE_API_URL=${sim.baseUrl} TASKADE_TOKEN=${sim.token}`,
    '',
    `Watch it in a browser: ${sim.origin}/ (each project's outline, read-only, reloads every 2 s)`,
    `Test hooks: ${sim.origin}/__sim/info (also stats, reset, faults, behaviours, rate-limit, seed, state)`,
    'Stop with Ctrl-C.',
  ];
  return lines.join('\n') + '\n';
}

export const command: Command = {
  name: 'simulate',
  summary: 'serve a local Taskade API simulator (for the demo, tests and trying things out)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs('simulate', { args: argv, options, allowPositionals: false, strict: true });
    const port = wholeNumber('port', values.port, 0, 0, 65535);
    const perMinute =
      values['rate-limit'] === undefined ? null : wholeNumber('rate-limit', values['rate-limit'], 0, 1, 1_000_000);
    const latencyMs = wholeNumber('latency-ms', values['latency-ms'], 0, 0, 600_000);
    const statePath = values.state === undefined ? undefined : resolve(io.cwd, values.state);
    let sim: Simulator;
    try {
      sim = await startSimulator({
        port,
        host: values.host ?? '127.0.0.1',
        ...(values.token === undefined ? {} : { tokens: values.token }),
        ...(statePath === undefined ? {} : { statePath }),
        rateLimit: perMinute === null ? null : { requests: perMinute, windowMs: 60_000 },
        behaviours: behaviours(values.behaviour ?? []),
        latencyMs,
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
        throw new SyncError(
          'USAGE',
          `Cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${(error as Error).message}`,
          { port },
          { cause: error },
        );
      }
      if (error instanceof TypeError || statePath !== undefined) {
        throw new SyncError('USAGE', (error as Error).message, { statePath }, { cause: error });
      }
      throw error;
    }
    let demo: string | undefined;
    if (values['seed-demo'] === true) {
      if (sim.listProjects().length === 0) demo = sim.seedProject({ name: 'Demo', tasks: DEMO }).projectId;
    }
    io.stdout.write(
      describe(sim, {
        ...(statePath === undefined ? {} : { statePath }),
        rateLimit: perMinute,
        ...(demo === undefined ? {} : { demo }),
      }),
    );
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener('abort', () => done(), { once: true });
    });
    await sim.close();
    io.stdout.write('Simulator stopped.\n');
    return EXIT.OK;
  },
};
