#!/usr/bin/env node
import { commandOf, main } from './main.js';

// The daemon runs for days: its heap settings (daemon-heap.ts) go in before its modules load.
if (commandOf(process.argv.slice(2)) === 'watch') (await import('./daemon-heap.js')).tuneDaemonHeap();

// The process edge: real stdio, environment and signals. Everything else is in `main`.
const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  signals += 1;
  // A second Ctrl-C means "now": do not wait for the graceful stop.
  if (signals > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdin.isTTY),
  signal: controller.signal,
});
process.removeListener('SIGINT', onSignal);
process.removeListener('SIGTERM', onSignal);
