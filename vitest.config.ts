import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // --expose-gc lets the memory test collect garbage before it measures.
    execArgv: ['--expose-gc'],
    testTimeout: 120_000,
  },
});
