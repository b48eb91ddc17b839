// Module hooks for bench/startup.ts: appends the URL of every module loaded (builtins excepted)
// to the file named by TSYNC_MODULE_LOG. Registered with `node --import` (see register-count.mjs).
import { appendFileSync } from 'node:fs';
import process from 'node:process';

const out = process.env.TSYNC_MODULE_LOG;

export async function load(url, context, next) {
  const result = await next(url, context);
  if (out && !url.startsWith('node:')) appendFileSync(out, url + '\n');
  return result;
}
