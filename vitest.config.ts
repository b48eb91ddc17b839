import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real sockets, real SQLite and real file watchers: give slow shared machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's own report, then one plain `tests: N passed, N failed, N skipped` line for CI logs.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
