import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PollShare } from '../../src/daemon/poll-share.js';
import {
  choosePolls,
  listPages,
  nextIntervalMs,
  rotate,
  rotationPerProject,
  staleBoundMs,
} from '../../src/daemon/poll-policy.js';
import { fcParams } from '../support/fc.js';

const settings = { minMs: 10_000, maxMs: 300_000 };

describe('the poll interval', () => {
  it('halves on a change and doubles when idle, within the floor and the ceiling', () => {
    expect(nextIntervalMs(80_000, true, settings)).toBe(40_000);
    expect(nextIntervalMs(15_000, true, settings)).toBe(10_000);
    expect(nextIntervalMs(80_000, false, settings)).toBe(160_000);
    expect(nextIntervalMs(200_000, false, settings)).toBe(300_000);
  });

  it('reaches the ceiling from the floor after log2(max/min) idle polls', () => {
    let i = settings.minMs;
    let polls = 0;
    while (i < settings.maxMs) {
      i = nextIntervalMs(i, false, settings);
      polls += 1;
    }
    expect(polls).toBe(5); // 10 s → 20 → 40 → 80 → 160 → 300
  });

  it('stays within [min, max] for any sequence of changes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.boolean(), { maxLength: 50 }),
        (start, changes) => {
          let i = start;
          for (const c of changes) {
            i = nextIntervalMs(i, c, settings);
            if (i < settings.minMs || i > settings.maxMs) return false;
          }
          return true;
        },
      ),
      fcParams(),
    );
  });
});

describe('choosing projects to poll', () => {
  const p = (projectId: string, dueAt: number, pages = 1) => ({ projectId, dueAt, pages });

  it('takes due projects, most overdue first, while their list pages fit', () => {
    const r = choosePolls([p('c', 300), p('a', 100), p('b', 200), p('later', 2000)], 1000, 2);
    expect(r).toEqual({ poll: ['a', 'b'], cost: 2 });
  });

  it('does not let a small project overtake a big overdue one (no starvation)', () => {
    expect(choosePolls([p('big', 100, 3), p('small', 200, 1)], 1000, 2).poll).toEqual([]);
  });

  it('lets a project bigger than the whole budget go once the budget is full, then nothing after it', () => {
    // A bucket of 10 can never hold 11 pages: waiting for them would block every project for ever.
    expect(choosePolls([p('big', 100, 11), p('small', 200, 1)], 1000, 9, 10).poll).toEqual([]);
    expect(choosePolls([p('big', 100, 11), p('small', 200, 1)], 1000, 10, 10)).toEqual({ poll: ['big'], cost: 11 });
  });

  it('costs one page per 1,000 tasks, counting a root node', () => {
    expect(listPages(0)).toBe(1);
    expect(listPages(999)).toBe(1);
    expect(listPages(1000)).toBe(2);
    expect(listPages(2500)).toBe(3);
  });

  it('gives the rotation only the tokens left after the lists', () => {
    expect(rotationPerProject(60, 2, 20)).toBe(10);
    expect(rotationPerProject(600, 2, 20)).toBe(20);
    expect(rotationPerProject(2, 1, 20)).toBe(0);
    expect(rotationPerProject(100, 0, 20)).toBe(0);
  });
});

describe('the sub-resource rotation', () => {
  const ids = ['t1', 't2', 't3', 't4', 't5'];

  it('walks the outline from the cursor and wraps around', () => {
    expect(rotate(ids, null, 2)).toEqual({ ids: ['t1', 't2'], cursor: 't2' });
    expect(rotate(ids, 't2', 2)).toEqual({ ids: ['t3', 't4'], cursor: 't4' });
    expect(rotate(ids, 't4', 2)).toEqual({ ids: ['t5', 't1'], cursor: 't1' });
  });

  it('restarts at the top when the cursor task is gone', () => {
    expect(rotate(ids, 'deleted', 2).ids).toEqual(['t1', 't2']);
  });

  it('visits every task within ⌈n/k⌉ polls (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 30 }), (n, k) => {
        const all = Array.from({ length: n }, (_, i) => `t${i}`);
        const seen = new Set<string>();
        let cursor: string | null = null;
        for (let poll = 0; poll < Math.ceil(n / k); poll += 1) {
          const r = rotate(all, cursor, k);
          r.ids.forEach((id) => seen.add(id));
          cursor = r.cursor;
        }
        return seen.size === n;
      }),
      fcParams(),
    );
  });

  it('states the staleness bound: 200 tasks, 20 per poll, every 5 minutes → 50 minutes', () => {
    expect(staleBoundMs(200, 20, 300_000)).toBe(50 * 60_000);
    expect(staleBoundMs(200, 0, 300_000)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('PollShare', () => {
  it('refills at the poller share of the budget and caps saved-up tokens', () => {
    const b = new PollShare({ requestsPerMinute: 60, share: 0.5, now: 0 });
    expect(b.perMinute).toBe(30);
    expect(b.available(0)).toBe(1);
    expect(b.available(60_000)).toBe(30); // capped at one minute's worth
    b.charge(30, 60_000);
    expect(b.available(60_000)).toBe(0);
    expect(b.available(62_000)).toBe(1);
  });

  it('charges writes too, so a write burst makes the poller wait until it is paid for', () => {
    const b = new PollShare({ requestsPerMinute: 60, share: 0.5, now: 0 });
    b.charge(31, 0); // 1 in hand − 31 sent
    expect(b.available(0)).toBe(-30);
    expect(b.waitFor(1, 0)).toBe(62_000);
  });

  it('never lets the poller spend more than its share over any long window (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }), (steps) => {
        const b = new PollShare({ requestsPerMinute: 120, share: 0.5, now: 0 });
        let now = 0;
        let spent = 0;
        for (const dt of steps) {
          now += dt;
          const take = Math.floor(b.available(now));
          if (take > 0) {
            b.charge(take, now);
            spent += take;
          }
        }
        // one minute of saved-up budget plus the share over the elapsed time
        return spent <= b.capacity + (now * b.perMinute) / 60_000 + 1e-9;
      }),
      fcParams(),
    );
  });

  it('rejects a nonsensical budget, quoting the value', () => {
    expect(() => new PollShare({ requestsPerMinute: 0, now: 0 })).toThrow(/`0` for `requestsPerMinute`/);
  });
});
