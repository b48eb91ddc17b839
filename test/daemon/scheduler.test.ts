import { describe, expect, it } from 'vitest';
import { PassScheduler, type PassOutcome, type PassWork } from '../../src/daemon/scheduler.js';
import { settle, VirtualTimers } from './support/virtual-timers.js';

/** A pass runner whose passes finish only when the test says so. */
function controlledRunner() {
  const started: PassWork[] = [];
  const finishers: Array<(o: PassOutcome) => void> = [];
  let running = 0;
  let maxConcurrent = 0;
  const run = (work: PassWork): Promise<PassOutcome> => {
    started.push({ full: work.full, files: new Set(work.files), poll: new Set(work.poll) });
    running += 1;
    maxConcurrent = Math.max(maxConcurrent, running);
    return new Promise((resolve) =>
      finishers.push((o) => {
        running -= 1;
        resolve(o);
      }),
    );
  };
  const finish = async (o: PassOutcome = { kind: 'done' }) => {
    const f = finishers.shift();
    if (f === undefined) throw new Error('no pass is running');
    f(o);
    await settle();
  };
  return { run, started, finish, maxConcurrent: () => maxConcurrent };
}

describe('PassScheduler', () => {
  it('runs one pass for a request and goes idle', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const s = new PassScheduler({ run: r.run, timers, onStop: () => {} });
    s.request({ files: ['a.md'] });
    await settle();
    expect(s.state).toBe('running');
    await r.finish();
    expect(s.state).toBe('idle');
    expect(r.started).toEqual([{ full: false, files: new Set(['a.md']), poll: new Set() }]);
  });

  it('saves go first: the pass after the one running takes the saves alone, the other work follows', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const saves: Array<boolean | undefined> = [];
    const s = new PassScheduler({
      run: (w) => {
        saves.push(w.saves);
        return r.run(w);
      },
      timers,
      onStop: () => {},
    });
    s.request({ poll: ['P1'] });
    await settle();
    s.request({ poll: ['P2'], files: ['held.md'] });
    expect(s.savesWaiting).toBe(false);
    s.request({ saves: ['a.md'] });
    s.request({ saves: ['b.md'] });
    expect(s.savesWaiting).toBe(true);
    await r.finish();
    expect(s.savesWaiting).toBe(false);
    await r.finish();
    await r.finish();
    expect(r.started).toEqual([
      { full: false, files: new Set(), poll: new Set(['P1']) },
      { full: false, files: new Set(['a.md', 'b.md']), poll: new Set() },
      { full: false, files: new Set(['held.md']), poll: new Set(['P2']) },
    ]);
    expect(saves).toEqual([undefined, true, undefined]);
    expect(s.state).toBe('idle');
  });

  it('a pass of saves that must be retried keeps them saves', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const s = new PassScheduler({ run: r.run, timers, onStop: () => {} });
    s.request({ saves: ['a.md'] });
    await settle();
    s.request({ poll: ['P1'] });
    await r.finish({ kind: 'retry', afterMs: 1000, reason: 'offline' });
    expect(s.savesWaiting).toBe(true);
    await timers.advance(1000);
    await r.finish();
    await r.finish();
    expect(r.started.map((w) => [[...w.files], [...w.poll]])).toEqual([
      [['a.md'], []],
      [['a.md'], []],
      [[], ['P1']],
    ]);
  });

  it('merges everything requested during a pass into exactly one follow-up pass', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const s = new PassScheduler({ run: r.run, timers, onStop: () => {} });
    s.request({ files: ['a.md'] });
    await settle();
    s.request({ files: ['b.md'] });
    s.request({ poll: ['P1'] });
    s.request({ files: ['a.md'], poll: ['P2'] });
    await r.finish();
    expect(r.started).toHaveLength(2);
    expect(r.started[1]).toEqual({ full: false, files: new Set(['a.md', 'b.md']), poll: new Set(['P1', 'P2']) });
    await r.finish();
    expect(s.state).toBe('idle');
    expect(s.passes).toBe(2);
    expect(r.maxConcurrent()).toBe(1);
  });

  it('gives the work of a failed pass back and retries it after the delay, merged with new work', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const s = new PassScheduler({ run: r.run, timers, onStop: () => {} });
    s.request({ files: ['a.md'] });
    await settle();
    await r.finish({ kind: 'retry', afterMs: 5000, reason: 'unreachable' });
    expect(s.state).toBe('waiting');
    s.request({ files: ['b.md'] });
    await timers.advance(4999);
    expect(r.started).toHaveLength(1);
    await timers.advance(1);
    expect(r.started).toHaveLength(2);
    expect(r.started[1]?.files).toEqual(new Set(['a.md', 'b.md']));
    await r.finish();
    expect(s.state).toBe('idle');
  });

  it('stops for good when a pass says stop, and tells the daemon once', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const stops: string[] = [];
    const s = new PassScheduler({ run: r.run, timers, onStop: (o) => stops.push(o.message) });
    s.request({ full: true });
    await settle();
    await r.finish({ kind: 'stop', exitCode: 5, message: 'token refused' });
    s.request({ files: ['a.md'] });
    await settle();
    expect(stops).toEqual(['token refused']);
    expect(r.started).toHaveLength(1);
    expect(s.state).toBe('stopped');
  });

  it('turns an exception from a pass into a stop with exit code 1', async () => {
    const timers = new VirtualTimers();
    const codes: number[] = [];
    const s = new PassScheduler({
      run: async () => {
        throw new Error('boom');
      },
      timers,
      onStop: (o) => codes.push(o.exitCode),
    });
    s.request({ full: true });
    await settle();
    expect(codes).toEqual([1]);
  });

  it('stop() aborts the pass in flight and waits for it to return', async () => {
    const timers = new VirtualTimers();
    let sawAbort = false;
    const s = new PassScheduler({
      run: (_w, signal) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            setImmediate(() => resolve({ kind: 'done' }));
          }),
        ),
      timers,
      onStop: () => {},
    });
    s.request({ full: true });
    await settle();
    await s.stop();
    expect(sawAbort).toBe(true);
    expect(s.state).toBe('stopped');
  });

  it('whenIdle waits for the follow-up pass too', async () => {
    const timers = new VirtualTimers();
    const r = controlledRunner();
    const s = new PassScheduler({ run: r.run, timers, onStop: () => {} });
    s.request({ files: ['a.md'] });
    await settle();
    s.request({ files: ['b.md'] });
    let idle = false;
    void s.whenIdle().then(() => (idle = true));
    await r.finish();
    expect(idle).toBe(false);
    await r.finish();
    expect(idle).toBe(true);
  });
});
