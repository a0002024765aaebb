import { defineConfig } from 'vitest/config';

// One run covers every workspace. Each workspace keeps its own tests next to its code
// (`<workspace>/test/**`). Database-backed tests get an isolated database per file
// from test-support/postgres.ts, so files can run in parallel without colliding.
export default defineConfig({
  test: {
    include: ['{fitness,reference-app,load}/test/**/*.test.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    reporters: ['default', './test-support/closing-line-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores on CI: more forks only add contention for Postgres and the event loop.
    maxWorkers: 2,
  },
});
