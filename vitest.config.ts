import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Prism, Chromium and the Node-version runs each own ports and processes; files run in parallel,
    // tests inside a file in order.
    fileParallelism: true,
    pool: 'forks',
  },
});
