import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Writable } from 'node:stream';
import { resolveConfig } from '../config/index.js';
import type { LogEvent } from '../engine/index.js';
import { setProjectLink } from '../markdown/index.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { formatHuman } from './log-output.js';
import { startWatch, type WatchSession } from './start.js';

/** `examples/vault/`, beside `src/` and `dist/` alike (both are two levels below the package root). */
export const SAMPLE_VAULT = fileURLToPath(new URL('../../examples/vault/', import.meta.url));
/** The package root, two levels above this file in `src/` and `dist/` alike. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `s` as one word for a POSIX shell (single quotes; a `'` inside becomes `'\''`). */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that runs this taskade-sync from any folder of any terminal: the built entry point
 * by its absolute path (the package need not be published or on PATH). Run from `src/` without a
 * build, the same through tsx's loader, also by absolute path.
 */
export function selfCommand(root = PACKAGE_ROOT): string {
  const built = join(root, 'dist', 'cli', 'bin.js');
  if (existsSync(built)) return `node ${shellQuote(built)}`;
  const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return `node --import ${shellQuote(tsx)} ${shellQuote(join(root, 'src', 'cli', 'bin.ts'))}`;
}

export interface DemoOptions {
  out: Writable;
  /** Working folder; default a new temp folder. It must be empty or not exist. */
  dir?: string;
  /** Simulator port; default 0 (any free port). */
  port?: number;
  /** Run the scripted part and return; otherwise keep running until `signal`. */
  once: boolean;
  signal: AbortSignal;
}

/** The demo's settings: a fast-reacting daemon on a local simulator. */
const DEMO_CONFIG = {
  requestsPerMinute: 600,
  lockWaitMs: 10_000,
  watch: { debounceMs: 200, quietMs: 2000, pollMinMs: 2000, pollMaxMs: 10_000, subresourceReadsPerPoll: 5 },
};

const WAIT_MS = 20_000;

/**
 * The whole loop on the simulator (issue 5): sample projects, the sample vault linked and
 * synced, the daemon running, one remote edit and one local edit shown arriving. Returns the
 * exit code.
 */
export async function runDemo(o: DemoOptions): Promise<number> {
  const say = (line = ''): void => void o.out.write(line + '\n');
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'taskade-sync-demo-'));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    say(`demo: ${dir} is not empty; pass an empty or new folder with --dir`);
    return 2;
  }
  mkdirSync(dir, { recursive: true });
  const sim = await startSimulator({ port: o.port ?? 0 });
  let session: WatchSession | null = null;
  try {
    say(`Simulated Taskade API at ${sim.baseUrl} (token ${sim.token})`);
    // A project that exists only on "Taskade": the daemon pulls it into a new file.
    const inbox = sim.seedProject({
      name: 'Team inbox',
      tasks: [
        { text: 'Reply to the design review' },
        { text: 'Book the offsite', children: [{ text: 'Compare two venues' }] },
      ],
    });
    cpSync(SAMPLE_VAULT, dir, { recursive: true });
    const linked = new Map<string, string>(); // file → project
    for (const file of ['Roadmap.md', 'Reading list.md']) {
      const { projectId } = sim.seedProject({ name: file.replace(/\.md$/, '') });
      const path = join(dir, file);
      writeFileSync(path, setProjectLink(readFileSync(path, 'utf8'), projectId));
      linked.set(file, projectId);
    }
    writeFileSync(join(dir, 'Team inbox.md'), `---\ntaskade:\n  project: ${inbox.projectId}\n---\n# Team inbox\n`);
    linked.set('Team inbox.md', inbox.projectId);
    const configInput = { apiUrl: sim.baseUrl, ...DEMO_CONFIG };
    writeFileSync(join(dir, 'sync.config.json'), JSON.stringify(configInput, null, 2) + '\n');
    say(`Sample notes copied to ${dir}`);
    say(`Linked: ${[...linked].map(([f, p]) => `${f} ⇄ ${p}`).join(', ')}`);
    say();

    const config = resolveConfig(configInput, { configPath: join(dir, 'sync.config.json'), env: {} });
    const seen: LogEvent[] = [];
    const logger = {
      event(e: LogEvent) {
        seen.push(e);
        if (e.level !== 'debug') say(`  ${formatHuman(e, Date.now())}`);
      },
    };
    say('Starting the daemon (taskade-sync watch); its first pass pushes the notes and pulls the inbox:');
    session = await startWatch({ config, token: sim.token, logger });
    const daemon = session.daemon;
    await waitUntil(
      () => readFileSync(join(dir, 'Team inbox.md'), 'utf8').includes('Compare two venues'),
      'the first pass',
      o.signal,
    );
    await daemon.whenIdle();
    await settleEvents(daemon);

    // 1. A remote edit, made through the v1 API as another Taskade client would.
    const roadmapId = linked.get('Roadmap.md') as string;
    const remote = await listRemote(sim, roadmapId);
    const target = remote.find((t) => t.text === 'Write the migration guide');
    if (target === undefined)
      throw new Error('demo: the Roadmap project lacks “Write the migration guide” after the first pass');
    say();
    say(
      `Remote edit: a colleague completes “Write the migration guide” in Taskade (POST …/tasks/${target.id}/complete)`,
    );
    await v1(sim, 'POST', `/projects/${roadmapId}/tasks/${target.id}/complete`);
    // The poller would find it within pollMinMs–pollMaxMs; the demo asks it to look now.
    daemon.pollNow([roadmapId]);
    const roadmap = join(dir, 'Roadmap.md');
    await waitUntil(
      () => /- \[x\] Write the migration guide/.test(readFileSync(roadmap, 'utf8')),
      'the remote edit in Roadmap.md',
      o.signal,
    );
    const doneLine = readFileSync(roadmap, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('Write the migration guide'));
    say(
      `  → Roadmap.md line ${doneLine + 1} now reads: ${readFileSync(roadmap, 'utf8').split('\n')[doneLine]?.trim()}`,
    );
    await daemon.whenIdle();
    await settleEvents(daemon);

    // 2. A local edit, as the user saving the file in an editor.
    say();
    say('Local edit: renaming “Pricing page” to “Pricing page and FAQ” in Roadmap.md');
    writeFileSync(roadmap, readFileSync(roadmap, 'utf8').replace('Pricing page', 'Pricing page and FAQ'));
    await waitUntil(
      async () => (await listRemote(sim, roadmapId)).some((t) => t.text === 'Pricing page and FAQ'),
      'the local edit on Taskade',
      o.signal,
    );
    say('  → Taskade now has “Pricing page and FAQ” (read back through GET /projects/…/tasks)');
    await daemon.whenIdle();
    say();
    say(`Both directions work. ${sim.stats().total} API requests so far.`);

    if (!o.once) {
      say();
      say('The daemon keeps running. Try it:');
      say(`  • edit ${roadmap} (or any linked note) and save — the change reaches the simulated Taskade;`);
      say('  • look at the simulated Taskade side, or change it as another client would:');
      say(`      open ${sim.baseUrl.replace(/\/api\/v1$/, '/')} in a browser (the outline of each project, refreshed)`);
      say(`      curl -s -H 'Authorization: Bearer ${sim.token}' ${sim.baseUrl}/projects/${roadmapId}/tasks`);
      say(`      curl -s -X PUT -H 'Authorization: Bearer ${sim.token}' -H 'Content-Type: application/json' \\`);
      say(
        `        -d '{"contentType":"text/markdown","content":"Renamed in Taskade"}' ${sim.baseUrl}/projects/${roadmapId}/tasks/${target.id}`,
      );
      say(`  • in another terminal: cd ${shellQuote(dir)} && TASKADE_TOKEN=${sim.token} ${selfCommand()} status`);
      say('Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        if (o.signal.aborted) resolve();
        else o.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    const exit = await session.stop();
    session = null;
    say(`Stopped. The notes stay in ${dir}.`);
    return exit.exitCode;
  } finally {
    if (session !== null) await session.stop();
    await sim.close();
  }
}

async function settleEvents(daemon: WatchSession['daemon']): Promise<void> {
  await new Promise((r) => setTimeout(r, 400)); // longer than the demo's debounce
  await daemon.whenIdle();
}

async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await cond())) {
    if (signal.aborted) throw new Error(`demo: stopped while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`demo: ${what} did not arrive within ${WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function v1(sim: Simulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(sim.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${sim.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { ok?: boolean; message?: string };
  if (!res.ok || json.ok === false)
    throw new Error(`demo: ${method} ${path} answered ${res.status} ${json.message ?? ''}`);
  return json;
}

async function listRemote(sim: Simulator, projectId: string): Promise<Array<{ id: string; text: string }>> {
  const json = (await v1(sim, 'GET', `/projects/${projectId}/tasks?limit=1000`)) as {
    items: Array<{ id: string; text: string }>;
  };
  return json.items;
}
