import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The workbench and browser suites start real processes; keep files from competing for 2 cores.
    fileParallelism: false,
  },
});
