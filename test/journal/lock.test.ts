import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, readLock } from '../../src/journal/index.js';
import { pidAlive } from '../../src/journal/lock.js';
import { SyncError } from '../../src/model/errors.js';
import { tempDir } from './support.js';

const HOLD_LOCK = fileURLToPath(new URL('./fixtures/hold-lock.ts', import.meta.url));

let dir: string;
let cleanup: () => void;
const children: ChildProcess[] = [];

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  cleanup();
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn a child');
  return child.pid;
}

function writeLock(content: object | string): void {
  writeFileSync(join(dir, 'lock'), typeof content === 'string' ? content : JSON.stringify(content));
}

function startHolder(mode: 'hold' | 'exit' | 'critical', log?: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLD_LOCK, dir, mode, ...(log ? [log] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

function lockedLine(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /locked (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`holder exited (${code}) before taking the lock: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.on('exit', () => resolve());
  });
}

async function lockedError(promise: Promise<unknown>): Promise<SyncError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SyncError) return error;
    throw error;
  }
  throw new Error('expected the lock to be refused');
}

describe('acquireLock / readLock', () => {
  it('writes who holds the lock, readLock reports it, release removes it', async () => {
    const lock = await acquireLock(dir, { purpose: 'sync', waitMs: 0, now: () => 1_700_000_000_000 });
    const expected = { pid: process.pid, hostname: hostname(), purpose: 'sync', since: 1_700_000_000_000 };
    expect(lock.info).toEqual(expected);
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject(expected);
    expect(readLock(dir)).toEqual(expected);
    lock.release();
    lock.release(); // a second release is harmless
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect(readLock(dir)).toBeNull();
  });

  it('creates the state dir when it does not exist', async () => {
    const stateDir = join(dir, 'notes', '.taskade-sync');
    const lock = await acquireLock(stateDir, { purpose: 'watch', waitMs: 0 });
    expect(readLock(stateDir)?.purpose).toBe('watch');
    lock.release();
  });

  it('a second acquire waits, then throws LOCKED naming the holder and the wait', async () => {
    const first = await acquireLock(dir, { purpose: 'watch', waitMs: 0, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    try {
      const error = await lockedError(acquireLock(dir, { purpose: 'sync', waitMs: 150, pollMs: 20 }));
      expect(error.code).toBe('LOCKED');
      expect(error.message).toMatch(
        new RegExp(
          `^another taskade-sync \\(pid ${process.pid}, watch since 2026-01-02T03:04:05.000Z\\) holds ${join(dir, 'lock')}; waited 0\\.[0-9]s$`,
        ),
      );
      expect(error.data).toMatchObject({ lockFile: join(dir, 'lock'), holder: first.info });
      expect(error.data.waitedMs as number).toBeGreaterThanOrEqual(150);
    } finally {
      first.release();
    }
  });

  it('waitMs 0 gives up at once, without a second look', async () => {
    const first = await acquireLock(dir, { purpose: 'sync', waitMs: 0 });
    // A clock that never moves: any waiting would never end, so returning proves there was none.
    const error = await lockedError(acquireLock(dir, { purpose: 'sync', waitMs: 0, now: () => 1000 }));
    expect(error.data.waitedMs).toBe(0);
    expect(error.message).toMatch(/; waited 0\.0s$/);
    first.release();
  });

  it('a waiting acquire gets the lock once the holder releases it', async () => {
    const first = await acquireLock(dir, { purpose: 'watch', waitMs: 0 });
    setTimeout(() => first.release(), 50);
    const second = await acquireLock(dir, { purpose: 'sync', waitMs: 10_000, pollMs: 10 });
    expect(readLock(dir)?.purpose).toBe('sync');
    second.release();
  });

  it('takes over a stale lock left by a pid that is gone', async () => {
    writeLock({ pid: deadPid(), hostname: hostname(), purpose: 'sync', since: 1, nonce: 'x' });
    expect(readLock(dir)).toBeNull();
    const lock = await acquireLock(dir, { purpose: 'sync', waitMs: 0 });
    expect(readLock(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('never treats a lock from another host as stale, and says so', async () => {
    const remote = { pid: deadPid(), hostname: `${hostname()}-elsewhere`, purpose: 'watch', since: 0 };
    writeLock(remote);
    expect(readLock(dir)).toEqual(remote);
    const error = await lockedError(acquireLock(dir, { purpose: 'sync', waitMs: 0 }));
    expect(error.message).toContain(`on host ${remote.hostname}`);
    expect(error.message).toContain(
      'a lock from another host is never treated as stale: delete the file if that process is gone',
    );
    expect(existsSync(join(dir, 'lock'))).toBe(true);
  });

  it('treats a fresh unreadable lock file as held and an old one as stale', async () => {
    writeLock('{"pid": 12');
    expect(readLock(dir)).toBeNull();
    const error = await lockedError(acquireLock(dir, { purpose: 'sync', waitMs: 0 }));
    expect(error.message).toMatch(/^an unreadable lock file \(not valid JSON\) holds /);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'lock'), old, old);
    const lock = await acquireLock(dir, { purpose: 'sync', waitMs: 0 });
    expect(readLock(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('release leaves alone a lock that is no longer its own', async () => {
    const lock = await acquireLock(dir, { purpose: 'sync', waitMs: 0 });
    const someoneElse = JSON.stringify({
      pid: process.pid,
      hostname: hostname(),
      purpose: 'watch',
      since: 2,
      nonce: 'other',
    });
    writeLock(someoneElse);
    lock.release();
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(someoneElse);
  });

  it('rejects bad options, quoting the value', async () => {
    await expect(acquireLock(dir, { purpose: 'sync', waitMs: -1 })).rejects.toThrowError(
      'Unexpected value `-1` for `options.waitMs`, expected a finite number ≥ 0',
    );
    await expect(acquireLock(dir, { purpose: 'sync', waitMs: 0, pollMs: 0 })).rejects.toThrowError(/`options.pollMs`/);
  });
});

describe('the lock across processes', () => {
  it('a holder killed with SIGKILL leaves a lock the next acquire takes over', async () => {
    const child = startHolder('hold');
    const childPid = await lockedLine(child);
    expect(readLock(dir)).toMatchObject({ pid: childPid, purpose: 'watch' });
    const refused = await lockedError(acquireLock(dir, { purpose: 'sync', waitMs: 0 }));
    expect(refused.message).toContain(`pid ${childPid}, watch since`);

    child.kill('SIGKILL');
    await exited(child);
    expect(existsSync(join(dir, 'lock'))).toBe(true); // the crash left the file behind
    expect(readLock(dir)).toBeNull(); // … but it is stale
    const lock = await acquireLock(dir, { purpose: 'sync', waitMs: 0 });
    expect(readLock(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('a holder that exits without releasing has its lock removed by the exit safety net', async () => {
    const child = startHolder('exit');
    await lockedLine(child);
    await exited(child);
    expect(child.exitCode).toBe(0);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('processes racing for a stale lock hold it one at a time', async () => {
    writeLock({ pid: deadPid(), hostname: hostname(), purpose: 'sync', since: 1, nonce: 'stale' });
    const log = join(dir, 'critical.log');
    const racers = [startHolder('critical', log), startHolder('critical', log), startHolder('critical', log)];
    await Promise.all(racers.map(exited));
    expect(racers.map((r) => r.exitCode)).toEqual([0, 0, 0]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    // Mutual exclusion: every `enter` is followed directly by the `leave` of the same process.
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^enter \d+$/);
      expect(lines[i + 1]).toBe(lines[i]?.replace('enter', 'leave'));
    }
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});

describe('pidAlive', () => {
  it('counts this process and pid 1 as alive (pid 1 answers EPERM to a non-root user: it still exists)', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(1)).toBe(true);
  });

  it('counts a process that has exited as gone', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    expect(pidAlive(Number(child.stdout))).toBe(false);
  });

  it('counts 0, negative and fractional pids as gone (0 and below would signal a process group)', () => {
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(-1)).toBe(false);
    expect(pidAlive(1.5)).toBe(false);
  });
});
