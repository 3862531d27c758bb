import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Prism, Chromium and the Node-version runs each own ports and processes; files run in parallel,
    // tests inside a file in order.
    fileParallelism: true,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/real/**'] } },
      // The real-server tier: its global setup installs ApostropheCMS and starts the sites, and
      // runs only when one of these files is part of the run.
      // Real logins take over a second each on a busy machine, and the throttle tests wait out lockouts.
      { extends: true, test: { name: 'real', include: ['test/real/**/*.test.ts'], globalSetup: ['test/real/global-setup.ts'], testTimeout: 120_000 } },
    ],
  },
});
