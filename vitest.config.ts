import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property and CLI tests run the whole pipeline many times; CI machines have 2 cores.
    testTimeout: 60_000,
    // A third worker on the 2-core machines: many tests wait on child processes (CLI runs, the SARIF
    // Multitool, xmllint, chromium), so the cores stay busy (measured: 79 s with 2, 54 s with 3).
    maxWorkers: 3,
    // Worker threads start test files faster than forked processes (2026-12-01, a slow afternoon: 73-76 s
    // with threads, 84 s with forks, the same 1,471 tests).
    pool: 'threads',
    // Test files in one worker share its loaded modules: re-importing the library for each of 47 files
    // was a quarter of the suite's CPU (2026-12-01: 63 s → 46 s wall, 103 → 75 s user). Nothing in the
    // tests mocks modules or keeps state between files; shuffled file orders pass the same.
    isolate: false,
  },
});
