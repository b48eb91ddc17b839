/**
 * A signal that aborts when any of `sources` does (with that source's reason), and `release`,
 * which takes its listeners off the sources. What `AbortSignal.any` does, without what it leaves
 * behind: on Node 20 each call adds a WeakRef to a set on every source that is never emptied, so
 * the daemon's long-lived signals (the detail reader's, the request queue's) grew by about three
 * WeakRefs per request — 92,000 (about 5 MB with their sets) after the first minute of 10 × 1,000
 * tasks, and some 6 MB an hour more at polls every 1–2 s. Here nothing stays on a source once the
 * request is over (`release`, in a `finally`), or once the linked signal aborted.
 */
import { setMaxListeners } from 'node:events';

export interface LinkedSignal {
  signal: AbortSignal;
  release(): void;
}

export function linkedSignal(sources: readonly AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  const already = sources.find((s) => s.aborted);
  if (already !== undefined) {
    controller.abort(already.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const listeners = sources.map((source) => {
    // Every request in flight listens on its source, hundreds at once for the detail reader's
    // rounds: expected, and each listener goes when its request ends (no leak to warn about).
    setMaxListeners(0, source);
    const onAbort = (): void => {
      release();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', onAbort, { once: true });
    return { source, onAbort };
  });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    for (const { source, onAbort } of listeners) source.removeEventListener('abort', onAbort);
  };
  return { signal: controller.signal, release };
}
