import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkedSignal } from '../../src/taskade/linked-signal.js';

describe('linkedSignal', () => {
  it('aborts with the reason of whichever source aborts first, and then lets go of the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkedSignal([a.signal, b.signal]);
    expect(linked.signal.aborted).toBe(false);
    b.abort(new Error('b stopped'));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('b stopped');
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort('gone');
    const linked = linkedSignal([new AbortController().signal, a.signal]);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('gone');
  });

  it('lets hundreds of requests listen on one source at once without a leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    const source = new AbortController();
    const links = Array.from({ length: 300 }, () => linkedSignal([source.signal]));
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    for (const l of links) l.release();
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('release takes its listeners off every source, and a source aborting later no longer reaches it', () => {
    const a = new AbortController();
    const b = new AbortController();
    const links = Array.from({ length: 1000 }, () => linkedSignal([a.signal, b.signal]));
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(1000);
    for (const l of links) l.release();
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(0);
    a.abort();
    expect(links.every((l) => !l.signal.aborted)).toBe(true);
  });
});
