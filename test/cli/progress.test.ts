import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/engine/index.js';
import {
  budgetLimits,
  formatDuration,
  formatProgress,
  progressShown,
  ProgressReporter,
} from '../../src/cli/progress.js';

function terminal(isTTY: boolean): PassThrough & { isTTY?: boolean; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; text: () => string };
  if (isTTY) stream.isTTY = true;
  let out = '';
  stream.on('data', (c: Buffer) => (out += c.toString()));
  stream.text = () => out;
  return stream;
}

const progress = (phase: string, done: number, total: number): LogEvent => ({
  level: 'debug',
  type: 'progress',
  message: `${phase} ${done}/${total}`,
  data: { what: phase, done, total, unit: 'tasks' },
});

describe('progress line', () => {
  it('names the work, done/total, the time left, and the budget hint when the budget is what limits', () => {
    // 240 of 1,500 in 4 minutes at the full 60/min: 1,260 left at that pace is 21 minutes.
    expect(
      formatProgress({
        phase: 'creating tasks',
        done: 240,
        total: 1500,
        elapsedMs: 4 * 60_000,
        requestsSent: 240,
        ratePerMinute: 60,
      }),
    ).toBe(
      'creating tasks 240/1,500 · about 21 min left at 60 requests/min (raise requestsPerMinute in sync.config.json if your plan allows)',
    );
    // The same pace with the queue allowing 600/min: the budget is not what limits.
    expect(
      formatProgress({
        phase: 'reading details',
        done: 240,
        total: 1500,
        elapsedMs: 4 * 60_000,
        requestsSent: 240,
        ratePerMinute: 600,
      }),
    ).toBe('reading details 240/1,500 · about 21 min left');
    expect(
      formatProgress({
        phase: 'sending changes',
        done: 0,
        total: 12,
        elapsedMs: 0,
        requestsSent: 0,
        ratePerMinute: 60,
      }),
    ).toBe('sending changes 0/12');
  });

  it('writes durations in seconds, minutes, hours', () => {
    expect(formatDuration(400)).toBe('about 1 s');
    expect(formatDuration(42_000)).toBe('about 42 s');
    expect(formatDuration(21 * 60_000)).toBe('about 21 min');
    expect(formatDuration(125 * 60_000)).toBe('about 2 h 5 min');
    expect(formatDuration(120 * 60_000)).toBe('about 2 h');
  });

  it('calls the budget the limit only after a few seconds at ≥ 90 % of the rate', () => {
    expect(budgetLimits({ elapsedMs: 60_000, requestsSent: 54, ratePerMinute: 60 })).toBe(true);
    expect(budgetLimits({ elapsedMs: 60_000, requestsSent: 53, ratePerMinute: 60 })).toBe(false);
    expect(budgetLimits({ elapsedMs: 4_000, requestsSent: 4, ratePerMinute: 60 })).toBe(false);
  });
});

describe('progress on stderr: a terminal only, never with --quiet or --json', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { quiet: true }, false],
    [true, { json: true }, false],
  ] as const)('isTTY %s, %o → shown %s', (isTTY, flags, shown) => {
    const stderr = terminal(isTTY);
    expect(progressShown({ stderr, ...flags })).toBe(shown);
    const reporter = new ProgressReporter({ stderr, ...flags, now: () => 0 });
    reporter.logger({ event: () => {} }).event(progress('reading details', 3, 30));
    expect(stderr.text() !== '').toBe(shown);
    // Shown or not, the last state is kept for the stop message.
    expect(reporter.stoppedMessage()).toBe('stopped: reading details 3 of 30 done; the next run finishes');
  });

  it('redraws one line in place, clears it before other output, and passes other events on', () => {
    const stderr = terminal(true);
    let t = 0;
    const reporter = new ProgressReporter({ stderr, now: () => t, intervalMs: 200 });
    const passed: string[] = [];
    const logger = reporter.logger({ event: (e) => passed.push(e.type) });
    logger.event(progress('creating tasks', 20, 100));
    t = 100;
    logger.event(progress('creating tasks', 40, 100)); // within 200 ms: not drawn
    t = 300;
    logger.event(progress('creating tasks', 60, 100));
    logger.event({ level: 'info', type: 'remote-create', message: 'created “x”' });
    expect(passed).toEqual(['remote-create']);
    // 60 done in 300 ms: 40 left at that pace is 200 ms, said as "about 1 s".
    expect(stderr.text()).toBe(
      '\r\x1b[2Kcreating tasks 20/100\r\x1b[2Kcreating tasks 60/100 · about 1 s left\r\x1b[2K',
    );
  });

  it('says when nothing was done before the stop', () => {
    expect(new ProgressReporter({ stderr: terminal(false) }).stoppedMessage()).toBe(
      'stopped before any work was done; the next run does it',
    );
  });
});
