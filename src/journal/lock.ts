import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SyncError } from '../model/errors.js';

/**
 * One engine at a time per state dir (DESIGN §3): the daemon and a one-shot `sync` take the
 * same lock, a file `<stateDir>/lock` holding JSON {pid, hostname, purpose, since}.
 *
 * - Creation is exclusive and atomic: the JSON is written to a private temp file, then hard-linked
 *   to `lock` (link fails with EEXIST when a lock exists). Unlike `open('wx')` followed by a write,
 *   no other process can ever see an empty, half-written lock. Where the file system has no hard
 *   links (FAT, some network shares) it falls back to `open('wx')` + write.
 * - A lock is stale when it was taken on this host and its pid is gone (`kill(pid, 0)` → ESRCH),
 *   so a crashed process (even SIGKILL) never leaves it stuck. A lock from another host is never
 *   stale automatically: its pid means nothing here.
 * - Taking over a stale lock. The race to close: A and B both read the same stale lock; A removes
 *   it and creates its own; B, acting on what it read earlier, would then remove A's fresh lock
 *   and both would run. So nobody deletes the lock path on the strength of an earlier read. A
 *   contender atomically renames whatever is at `lock` to a private name, then compares what it
 *   moved with the stale content it read (byte for byte; each lock carries a random nonce). Only
 *   if they match does it delete the file; otherwise it has moved a live lock and links it back
 *   (exclusive, so it cannot overwrite a lock created meanwhile). Then it competes through the
 *   normal exclusive create. What remains: a third process creating a lock in the microseconds
 *   between such a move and its link-back; `release` only removes a lock that is still its own,
 *   so even then no one deletes another's lock.
 */

export interface LockInfo {
  pid: number;
  hostname: string;
  purpose: 'sync' | 'watch' | string;
  /** When the lock was taken (epoch ms). */
  since: number;
}

export interface LockHandle {
  /** Remove the lock if it is still ours. Safe to call more than once. */
  release(): void;
  info: LockInfo;
}

export interface AcquireOptions {
  /** What the holder does, shown to whoever waits (`sync`, `watch`, …). */
  purpose: string;
  /** How long to wait for a live holder before giving up with `LOCKED` (0 = try once). */
  waitMs: number;
  /** How often to look again while waiting. @default 100 */
  pollMs?: number;
  /** The clock for `since` and the wait deadline. @default Date.now */
  now?: () => number;
}

const LOCK_FILE = 'lock';
/**
 * A lock file that is not valid JSON can only be one being written through the `open('wx')`
 * fallback (or damage from outside). It is treated as held while younger than this (file mtime
 * against the real clock), then as stale.
 */
const UNREADABLE_GRACE_MS = 5_000;
/**
 * Immediate retries (after a stale takeover, or a lock that vanished before we could read it)
 * before falling back to waiting: a bound, so a misbehaving file system cannot spin us forever.
 */
const MAX_QUICK_RETRIES = 50;

export function lockFilePath(stateDir: string): string {
  return join(stateDir, LOCK_FILE);
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function privateName(path: string, tag: string): string {
  return `${path}.${tag}.${process.pid}.${randomUUID().slice(0, 8)}`;
}

/** The raw lock file content, or `null` when there is no lock. */
function readRaw(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function parseLock(raw: string): LockInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    !Number.isSafeInteger(v.pid) ||
    typeof v.hostname !== 'string' ||
    typeof v.purpose !== 'string' ||
    typeof v.since !== 'number'
  ) {
    return null;
  }
  return { pid: v.pid as number, hostname: v.hostname, purpose: v.purpose, since: v.since };
}

/**
 * Whether process `pid` of this host still runs. Signal 0 checks without sending anything; only
 * ESRCH means the process is gone — EPERM means it exists but belongs to another user. A pid of 0
 * or below names a process group, never a lock holder, so it counts as gone.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user. Only ESRCH means it is gone.
    return errnoCode(error) !== 'ESRCH';
  }
}

function isStale(path: string, holder: LockInfo | null): boolean {
  if (holder === null) {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false; // already gone: the next create decides
      throw error;
    }
  }
  return holder.hostname === hostname() && !pidAlive(holder.pid);
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Create `path` with `content` only if it does not exist. */
function createExclusive(path: string, content: string): boolean {
  const temp = privateName(path, 'new');
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    if (code !== undefined && NO_HARD_LINKS.has(code)) return createWithOpenWx(path, content);
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function createWithOpenWx(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Remove the lock only if it still holds exactly `seen` (see the takeover note at the top). */
function removeIfUnchanged(path: string, seen: string): void {
  const aside = privateName(path, 'stale');
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return; // someone else removed it first
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') === seen) return;
    // We moved a live lock taken after our read: put it back, never over a newer one.
    try {
      linkSync(aside, path);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') return;
      if (code !== undefined && NO_HARD_LINKS.has(code)) renameSync(aside, path);
      else throw error;
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch (error) {
      // eslint-disable-next-line no-unsafe-finally -- a cleanup that fails for another reason than "already gone" must not pass silently
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }
}

function holdLock(path: string, content: string, info: LockInfo): LockHandle {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Only remove our own lock: after a takeover race the file may belong to someone else.
    if (readRaw(path) !== content) return;
    try {
      unlinkSync(path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  };
  // Safety net for exit paths that forget to release (process.exit, an uncaught error).
  // A signal that kills the process skips it; the pid check then makes the lock stale.
  process.on('exit', release);
  return { release, info };
}

function describeHolder(holder: LockInfo | null): string {
  if (holder === null) return 'an unreadable lock file (not valid JSON)';
  const other = holder.hostname === hostname() ? '' : ` on host ${holder.hostname}`;
  return `another taskade-sync (pid ${holder.pid}${other}, ${holder.purpose} since ${new Date(holder.since).toISOString()})`;
}

function lockedError(path: string, holder: LockInfo | null, waitedMs: number): SyncError {
  let message = `${describeHolder(holder)} holds ${path}; waited ${(waitedMs / 1000).toFixed(1)}s`;
  if (holder !== null && holder.hostname !== hostname()) {
    message += `; a lock from another host is never treated as stale: delete the file if that process is gone`;
  }
  return new SyncError('LOCKED', message, { lockFile: path, holder, waitedMs });
}

function checkOptions(o: AcquireOptions): void {
  if (!(Number.isFinite(o.waitMs) && o.waitMs >= 0)) {
    throw new TypeError(
      `Unexpected value \`${String(o.waitMs)}\` for \`options.waitMs\`, expected a finite number ≥ 0`,
    );
  }
  if (o.pollMs !== undefined && !(Number.isFinite(o.pollMs) && o.pollMs > 0)) {
    throw new TypeError(
      `Unexpected value \`${String(o.pollMs)}\` for \`options.pollMs\`, expected a finite number > 0`,
    );
  }
}

/**
 * Take the state-dir lock, waiting up to `waitMs` for a live holder; a stale lock is taken over.
 * Throws `SyncError('LOCKED')` (exit 7) naming the holder when the wait runs out.
 */
export async function acquireLock(stateDir: string, o: AcquireOptions): Promise<LockHandle> {
  checkOptions(o);
  const now = o.now ?? Date.now;
  const pollMs = o.pollMs ?? 100;
  const path = lockFilePath(stateDir);
  mkdirSync(stateDir, { recursive: true });
  const start = now();
  let quickRetries = 0;
  for (;;) {
    const info: LockInfo = { pid: process.pid, hostname: hostname(), purpose: o.purpose, since: now() };
    // The nonce makes every lock's bytes unique, so "is this still the lock I saw?" is exact.
    const content = JSON.stringify({ ...info, nonce: randomUUID() });
    if (createExclusive(path, content)) return holdLock(path, content, info);

    const seen = readRaw(path);
    const holder = seen === null ? null : parseLock(seen);
    // Gone since our create (released), or stale: no reason to wait, try again at once.
    if ((seen === null || isStale(path, holder)) && quickRetries < MAX_QUICK_RETRIES) {
      quickRetries += 1;
      if (seen !== null) removeIfUnchanged(path, seen);
      continue;
    }
    const waited = now() - start;
    if (waited >= o.waitMs) throw lockedError(path, holder, waited);
    await sleep(Math.min(pollMs, o.waitMs - waited));
  }
}

/** The live holder of the lock, or `null` when there is none or it is stale. Used by `status`. */
export function readLock(stateDir: string): LockInfo | null {
  const path = lockFilePath(stateDir);
  const raw = readRaw(path);
  if (raw === null) return null;
  const holder = parseLock(raw);
  if (holder === null || isStale(path, holder)) return null;
  return holder;
}
