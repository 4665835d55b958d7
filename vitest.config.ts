import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property and CLI tests run the whole pipeline many times; CI machines have 2 cores.
    testTimeout: 60_000,
  },
});
