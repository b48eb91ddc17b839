import { describe, expect, it } from 'vitest';
import { DAEMON_V8_FLAGS, tuneDaemonHeap } from '../../src/cli/daemon-heap.js';
import { commandOf } from '../../src/cli/main.js';

describe('the daemon’s heap settings', () => {
  it('are applied for `watch` only, not for its help', () => {
    expect(commandOf(['watch'])).toBe('watch');
    expect(commandOf(['-C', 'notes', 'watch', '--json'])).toBe('watch');
    expect(commandOf(['watch', '--help'])).toBeUndefined();
    expect(commandOf(['sync'])).toBe('sync');
    expect(commandOf(['-C'])).toBeUndefined();
  });

  it('sets both flags when the user gave none', () => {
    const set: string[] = [];
    expect(tuneDaemonHeap([], (f) => set.push(f))).toEqual([...DAEMON_V8_FLAGS]);
    expect(set).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
  });

  it('leaves a setting the user gave node as given', () => {
    const set: string[] = [];
    tuneDaemonHeap(['--max-semi-space-size=4', '--heap_growing_percent=100'], (f) => set.push(f));
    expect(set).toEqual([]);
    tuneDaemonHeap(['--max-old-space-size=512', '--semi-space-growth-factor=2'], (f) => set.push(f));
    expect(set).toEqual(['--heap-growing-percent=50']);
  });
});
