import { SyncError } from '../model/errors.js';
import { TaskadeError } from '../taskade/errors.js';

/** What the daemon does about a failed pass. */
export type FailureKind =
  /** The token was refused: stop (exit 5). */
  | 'auth'
  /** Network down, 5xx after retries, or 429s that did not stop: back off and retry; keep local changes. */
  | 'unreachable'
  /** A one-shot `sync` holds the lock: wait for it. */
  | 'locked'
  /** A bug or a broken setup: stop (exit 1 or the error's own code). */
  | 'fatal';

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof TaskadeError) {
    if (error.kind === 'auth') return 'auth';
    return error.kind === 'transient' ? 'unreachable' : 'fatal';
  }
  if (error instanceof SyncError) {
    if (error.code === 'AUTH') return 'auth';
    if (error.code === 'UNREACHABLE') return 'unreachable';
    if (error.code === 'LOCKED') return 'locked';
  }
  return 'fatal';
}

/** How long the daemon waits before trying Taskade again: doubling from 1 s, capped. */
export function outageDelayMs(failures: number, capMs: number, retryAfterMs: number | null = null): number {
  const doubling = 1000 * 2 ** Math.max(0, Math.min(failures - 1, 16));
  return Math.max(retryAfterMs ?? 0, Math.min(capMs, doubling));
}

/** A server's Retry-After, when the failure carries one. */
export function retryAfterOf(error: unknown): number | null {
  if (error instanceof TaskadeError) return error.retryAfterMs;
  if (error instanceof SyncError && error.cause instanceof TaskadeError) return error.cause.retryAfterMs;
  return null;
}
