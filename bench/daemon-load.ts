/**
 * The daemon under load (run: `npm run build && npx tsx bench/daemon-load.ts`, a few minutes):
 * 10 linked projects of 1,000 tasks each on the simulator, `taskade-sync watch` as its own process
 * (the built CLI), polling every 1–2 s, while a user saves one file 40 times and another user edits
 * a task in Taskade 20 times. Prints save → Taskade (the file written → the daemon's PUT reaching
 * the simulator) and remote → file latencies as p50/p99, the daemon process's RSS after its first
 * passes and at its peak (VmHWM), and its CPU over 30 s of idle polling (utime + stime from
 * /proc, as a share of one core) with its RSS sampled every second meanwhile (min/median/max). Linux only (/proc). PROJECTS and TASKS override the sizes,
 * ROTATION the rotation's tasks per project per poll (default 0; the config's default is 20).
 * Profiling: LOG=<file> keeps the daemon's `--json --verbose` log there (and the bench's own
 * marks, each save and remote edit with its start time and latency, in <file>.marks.json, for
 * phase timings), PROF=<dir> runs it under `node --cpu-prof` into that folder, NODE_ARGS="…" passes
 * more node/V8 flags to the daemon (e.g. "--max-semi-space-size=2"), for measured comparisons.
 * DEFAULT_POLLS=1 runs the daemon with the config's default poll settings (pollMinMs 10 s, pollMaxMs
 * 5 min, rotation 20; the budget stays 100,000/min so the first sync's details are read at once),
 * makes 5 remote edits instead of 20, lets the intervals grow for SETTLE_S (default 330 s: 10 s
 * doubling to 5 min) and measures idle CPU and requests over IDLE_S (default 600 s; 30 s otherwise).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../src/simulator/index.js';

const PROJECTS = Number(process.env.PROJECTS ?? 10);
const TASKS = Number(process.env.TASKS ?? 1000);
const DEFAULT_POLLS = process.env.DEFAULT_POLLS === '1';
const ROTATION = Number(process.env.ROTATION ?? 0);
const SETTLE_S = Number(process.env.SETTLE_S ?? (DEFAULT_POLLS ? 330 : 3));
const IDLE_S = Number(process.env.IDLE_S ?? (DEFAULT_POLLS ? 600 : 30));
const REMOTE_EDITS = DEFAULT_POLLS ? 5 : 20;
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'bin.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
const status = (pid: number, key: string): number =>
  Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
};

/** When the simulator saw a task's text become `text` (the daemon's PUT or create). */
const seenText = new Map<string, number>();
const sim = await startSimulator({
  onExchange(e) {
    const body = e.requestBody as { content?: unknown } | undefined;
    if (e.method === 'PUT' && typeof body?.content === 'string') seenText.set(body.content, performance.now());
  },
});
const root = mkdtempSync(join(tmpdir(), 'tsync-load-'));
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
writeFileSync(
  join(root, 'sync.config.json'),
  JSON.stringify({
    requestsPerMinute: 100_000,
    watch: DEFAULT_POLLS
      ? { debounceMs: 300, quietMs: 0 }
      : { debounceMs: 300, quietMs: 0, pollMinMs: 1000, pollMaxMs: 2000, subresourceReadsPerPoll: ROTATION },
  }),
);
const files: string[] = [];
const ids: string[] = [];
for (let p = 0; p < PROJECTS; p += 1) {
  const { projectId } = sim.seedProject({
    name: `Project ${p}`,
    tasks: Array.from({ length: TASKS / 10 }, (_, i) => ({
      text: `P${p} parent ${i}`,
      children: Array.from({ length: 9 }, (_, j) => ({ text: `P${p} task ${i}.${j}` })),
    })),
  });
  files.push(`notes/p${p}.md`);
  ids.push(projectId);
  write(files[p]!, `---\ntaskade:\n  project: ${projectId}\n---\n# Project ${p}\n\n`);
}
const daemon = spawn(
  process.execPath,
  [
    ...(process.env.NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
    ...(process.env.PROF !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF}`] : []),
    BIN,
    'watch',
    ...(process.env.LOG !== undefined ? ['--json', '--verbose'] : []),
  ],
  {
    cwd: root,
    env: { ...process.env, TASKADE_TOKEN: sim.token, TASKADE_API_URL: sim.baseUrl },
    stdio: ['ignore', process.env.LOG !== undefined ? 'pipe' : 'ignore', 'inherit'],
  },
);
if (process.env.LOG !== undefined) daemon.stdout!.pipe(createWriteStream(process.env.LOG));
const marks: Array<Record<string, unknown>> = [];
const pid = daemon.pid!;
try {
  const t0 = performance.now();
  await waitFor(() => files.every((f) => read(f).includes(`parent ${TASKS / 10 - 1} `)), 'the first passes', 900_000);
  await sleep(3000);
  console.log(
    `first passes: ${PROJECTS} × ${TASKS} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s; daemon RSS ${status(pid, 'VmRSS').toFixed(0)} MB, peak ${status(pid, 'VmHWM').toFixed(0)} MB`,
  );

  const save: number[] = [];
  for (let i = 0; i < 40; i += 1) {
    const text = `P0 task 0.0 saved ${i}`;
    const start = performance.now();
    write(files[0]!, read(files[0]!).replace(/P0 task 0\.0( saved \d+)?(?= \^tk-)/, text));
    await waitFor(() => seenText.has(text), 'the save on Taskade');
    save.push(seenText.get(text)! - start);
    marks.push({ kind: 'save', i, at: Date.now() - (performance.now() - start), ms: seenText.get(text)! - start });
    await sleep(700);
  }
  console.log(`save → Taskade (debounce 300 ms included): ${fmt(save)}`);

  const remote: number[] = [];
  const listed = (await (
    await fetch(`${sim.baseUrl}/projects/${ids[1]}/tasks?limit=1000`, {
      headers: { authorization: `Bearer ${sim.token}` },
    })
  ).json()) as { items: Array<{ id: string; text: string }> };
  const taskId = listed.items.find((t) => t.text === 'P1 task 3.3')!.id;
  for (let i = 0; i < REMOTE_EDITS; i += 1) {
    const text = `P1 task 3.3 remote ${i}`;
    const start = performance.now();
    const res = await fetch(`${sim.baseUrl}/projects/${ids[1]}/tasks/${taskId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contentType: 'text/markdown', content: text }),
    });
    if (!res.ok) throw new Error(`remote edit: ${res.status}`);
    await waitFor(() => read(files[1]!).includes(text), 'the remote edit in the file', 900_000);
    remote.push(performance.now() - start);
    marks.push({ kind: 'remote', i, at: Date.now() - (performance.now() - start), ms: performance.now() - start });
    await sleep(300);
  }
  const polls = DEFAULT_POLLS ? 'default polls: 10 s–5 min, rotation 20' : 'poll every 1–2 s';
  console.log(`remote → file (${polls}): ${fmt(remote)}`);

  await sleep(SETTLE_S * 1000);
  const ticks0 = cpuTicks(pid);
  const wall0 = performance.now();
  const requests0 = sim.stats().total;
  // RSS moves with each garbage collection: sampled every second over the window.
  const rss: number[] = [];
  while (performance.now() - wall0 < IDLE_S * 1000) {
    await sleep(1000);
    rss.push(status(pid, 'VmRSS'));
  }
  const idleS = (performance.now() - wall0) / 1000;
  const share = (cpuTicks(pid) - ticks0) / 100 / idleS;
  const perHour = ((sim.stats().total - requests0) * 3600) / idleS;
  console.log(
    `idle (${polls}), ${IDLE_S} s after ${SETTLE_S} s: ${(share * 100).toFixed(2)} % of a core, ${perHour.toFixed(0)} requests/hour; RSS min/median/max ${pct(rss, 0.1).toFixed(0)}/${pct(rss, 50).toFixed(0)}/${Math.max(...rss).toFixed(0)} MB, peak ${status(pid, 'VmHWM').toFixed(0)} MB; simulator saw ${sim.stats().total} requests in all`,
  );
} finally {
  if (process.env.LOG !== undefined) writeFileSync(`${process.env.LOG}.marks.json`, JSON.stringify(marks));
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  await sim.close();
  rmSync(root, { recursive: true, force: true });
}
