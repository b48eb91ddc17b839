import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld;
let projectId: string;
beforeAll(async () => {
  w = await startCliWorld();
  execFileSync('git', ['init', '-q', w.root]);
  projectId = w.sim.seedProject({ name: 'Seeded', tasks: [{ text: 'From Taskade' }] }).projectId;
  w.write('synced.md', linkedFile(projectId, ['- [ ] From the file']));
  w.write('new.md', '# Fresh\n\n- [ ] One\n');
  w.write('plain.md', '# Plain\n\n- [ ] Two\n');
  mkdirSync(join(w.root, 'sub'));
});
afterAll(async () => w.close());

/**
 * Every command that takes --json, in an order that gives each something to do. Watch is the one
 * exception, documented: its --json is a stream, one JSON object per log line.
 */
const RUNS: Array<{ name: string; argv: () => string[]; cwd?: () => string }> = [
  { name: 'init --json', argv: () => ['init', '--json'], cwd: () => join(w.root, 'sub') },
  { name: 'sync --dry-run --json', argv: () => ['sync', '--dry-run', '--json'] },
  { name: 'sync --json', argv: () => ['sync', '--json'] },
  { name: 'sync -n --json FILE', argv: () => ['sync', '-n', '--json', 'synced.md'] },
  {
    name: 'link FILE --new --folder ID --json',
    argv: () => ['link', 'new.md', '--new', '--folder', w.sim.workspace.id, '--json'],
  },
  {
    name: 'link FILE --project ID --json',
    argv: () => ['link', 'plain.md', '--project', w.sim.seedProject({ name: 'Other', tasks: [] }).projectId, '--json'],
  },
  {
    name: 'pull --project ID --json',
    argv: () => [
      'pull',
      '--project',
      w.sim.seedProject({ name: 'Pulled', tasks: [{ text: 'x' }] }).projectId,
      '--json',
    ],
  },
  { name: 'ls --json', argv: () => ['ls', '--json'] },
  { name: 'ls folders --json', argv: () => ['ls', 'folders', '--json'] },
  { name: 'ls projects --json', argv: () => ['ls', 'projects', '--json'] },
  { name: 'status --json', argv: () => ['status', '--json'] },
  { name: 'inspect FILE --json', argv: () => ['inspect', 'synced.md', '--json'] },
  { name: 'doctor --json', argv: () => ['doctor', '--json'] },
  { name: 'hooks install --json', argv: () => ['hooks', 'install', '--json'] },
  { name: 'hooks uninstall --json', argv: () => ['hooks', 'uninstall', '--json'] },
];

describe('--json prints exactly one JSON document on stdout, for every command', () => {
  it.each(RUNS.map((r) => [r.name, r] as const))('%s', async (_name, run) => {
    const argv = run.argv();
    const r = await runCli(argv, { cwd: run.cwd?.() ?? w.root, env: w.env });
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    // JSON.parse takes exactly one document: a second one, or any line before it, fails here.
    let doc: unknown;
    expect(() => (doc = JSON.parse(r.stdout)), `${argv.join(' ')} printed:\n${r.stdout}`).not.toThrow();
    expect(typeof doc).toBe('object');
  });

  it('link --new --json: the "created project" line goes to stderr', async () => {
    w.write('another.md', '# Another\n');
    const r = await runCli(['link', 'another.md', '--new', '--folder', w.sim.workspace.id, '--json'], {
      cwd: w.root,
      env: w.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('created project');
    expect(JSON.parse(r.stdout).files[0].path).toBe('another.md');
  });
});
