import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../journal/lock.js';
import { SyncError } from '../model/errors.js';

/**
 * Whether a daemon runs for a state dir. The engine lock is held only during a pass (so a
 * one-shot `sync` can run between passes), so the daemon announces itself separately:
 * `<stateDir>/daemon.json` with its pid, created exclusively at start and removed at stop.
 * It is stale when it names this host and a pid that no longer exists. A file naming another host
 * is never a daemon of this folder: it came with the notes (git pull, Obsidian Sync) from the
 * machine that wrote it, whose daemon watches that machine's copy — so it is ignored and replaced.
 */
export interface DaemonInfo {
  pid: number;
  hostname: string;
  /** When the daemon started (epoch ms). */
  since: number;
}

export const PRESENCE_FILE = 'daemon.json';

function parse(raw: string): DaemonInfo | null {
  try {
    const v = JSON.parse(raw) as Partial<DaemonInfo>;
    if (typeof v.pid === 'number' && typeof v.hostname === 'string' && typeof v.since === 'number') {
      return { pid: v.pid, hostname: v.hostname, since: v.since };
    }
  } catch {
    // unreadable: treated as absent below
  }
  return null;
}

/** The running daemon of this state dir on this host, or null (none, stale, another host's, or unreadable). */
export function readDaemonInfo(stateDir: string): DaemonInfo | null {
  let raw: string;
  try {
    raw = readFileSync(join(stateDir, PRESENCE_FILE), 'utf8');
  } catch {
    return null;
  }
  const info = parse(raw);
  if (info === null) return null;
  if (info.hostname !== hostname() || !pidAlive(info.pid)) return null;
  return info;
}

/**
 * Announce this process as the daemon of `stateDir`. A live daemon already there → LOCKED
 * (exit 7): two daemons on one folder would only fight over the lock.
 */
export function announceDaemon(stateDir: string, now: number): { info: DaemonInfo; withdraw(): void } {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, PRESENCE_FILE);
  const info: DaemonInfo = { pid: process.pid, hostname: hostname(), since: now };
  const content = JSON.stringify(info) + '\n';
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, content, { flag: 'wx' });
      let withdrawn = false;
      return {
        info,
        withdraw() {
          if (withdrawn) return;
          withdrawn = true;
          try {
            if (readFileSync(path, 'utf8') === content) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = readDaemonInfo(stateDir);
      if (other !== null) {
        throw new SyncError(
          'LOCKED',
          `a taskade-sync daemon (pid ${other.pid}, since ${new Date(other.since).toISOString()}) already watches this folder (${path}); stop it first`,
          { path, ...other },
        );
      }
      // Stale (its process is gone) or another host's copy: remove it and try once more.
      try {
        unlinkSync(path);
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new SyncError('LOCKED', `could not create ${path}: another daemon keeps starting`, { path });
}
