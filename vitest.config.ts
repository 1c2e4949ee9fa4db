import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // --expose-gc lets the memory test collect garbage before it measures.
    execArgv: ['--expose-gc'],
    testTimeout: 120_000,
    // One temporary folder per run, removed at the end (test/helpers/temp-root.ts).
    globalSetup: ['test/helpers/temp-root.ts'],
  },
});
