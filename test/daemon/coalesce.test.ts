import { describe, expect, it } from 'vitest';
import { EventCoalescer, type SettledEvent } from '../../src/daemon/coalesce.js';
import { VirtualTimers } from './support/virtual-timers.js';

function setup(debounceMs = 300, maxWaitMs?: number) {
  const timers = new VirtualTimers();
  const settled: SettledEvent[] = [];
  const c = new EventCoalescer({ debounceMs, maxWaitMs, timers, onSettled: (e) => settled.push(e) });
  return { timers, settled, c };
}

describe('EventCoalescer', () => {
  it('reports one change per path once it has been quiet for the debounce time', async () => {
    const { timers, settled, c } = setup();
    c.push('change', 'a.md');
    await timers.advance(299);
    expect(settled).toEqual([]);
    await timers.advance(1);
    expect(settled).toEqual([{ path: 'a.md', kind: 'changed' }]);
  });

  it('turns a burst of 50 saves into one change', async () => {
    const { timers, settled, c } = setup();
    for (let i = 0; i < 50; i += 1) {
      c.push('change', 'a.md');
      await timers.advance(20);
    }
    await timers.advance(300);
    expect(settled).toEqual([{ path: 'a.md', kind: 'changed' }]);
  });

  it('turns an atomic save (unlink, then add of the same path) into one change', async () => {
    const { timers, settled, c } = setup();
    c.push('unlink', 'a.md');
    await timers.advance(5);
    c.push('add', 'a.md');
    await timers.advance(300);
    expect(settled).toEqual([{ path: 'a.md', kind: 'changed' }]);
  });

  it('reports a delete when the last event of the burst is an unlink', async () => {
    const { timers, settled, c } = setup();
    c.push('change', 'a.md');
    c.push('unlink', 'a.md');
    await timers.advance(300);
    expect(settled).toEqual([{ path: 'a.md', kind: 'deleted' }]);
  });

  it('debounces each path on its own', async () => {
    const { timers, settled, c } = setup();
    c.push('change', 'a.md');
    await timers.advance(200);
    c.push('change', 'b.md');
    await timers.advance(100);
    expect(settled.map((e) => e.path)).toEqual(['a.md']);
    await timers.advance(200);
    expect(settled.map((e) => e.path)).toEqual(['a.md', 'b.md']);
  });

  it('still reports a file written without pause, after maxWaitMs', async () => {
    const { timers, settled, c } = setup(300, 1000);
    for (let i = 0; i < 20; i += 1) {
      c.push('change', 'log.md');
      await timers.advance(100);
    }
    expect(settled.length).toBe(2); // at 1000 ms and at 2000 ms of continuous writing
  });

  it('drops unreported events on dispose', async () => {
    const { timers, settled, c } = setup();
    c.push('change', 'a.md');
    c.dispose();
    await timers.advance(1000);
    expect(settled).toEqual([]);
    expect(c.size).toBe(0);
  });
});
