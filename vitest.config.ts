import { defineConfig } from 'vitest/config';

// One run covers every workspace. Each workspace keeps its own tests next to its code
// (`<workspace>/test/**`). Database-backed tests get an isolated database per file
// from test-support/postgres.ts, so files can run in parallel without colliding.
// No test times anything on the real clock: a busy laptop would turn the suite red for a
// property of the laptop. The load runner calibrates itself where evidence is made
// (load/runner/calibrate.ts); the suite tests the same logic on a virtual clock.
export default defineConfig({
  test: {
    reporters: ['default', './test-support/closing-line-reporter.ts'],
    projects: [
      {
        test: {
          name: 'suite',
          include: ['{fitness,reference-app,load}/test/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['./test-support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // 2 cores on CI: more forks only add contention for Postgres and the event loop.
          maxWorkers: 2,
        },
      },
    ],
  },
});
