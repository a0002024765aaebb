import { defineConfig } from 'vitest/config';

// The open-model runner's self-check measures latency against known truth (two 1 s stalls,
// a fixed 20 ms route). On 2 cores it is only meaningful while nothing else runs, so it is
// its own project with a later groupOrder: vitest starts it once every other file is done.
const INSTRUMENT = 'load/test/instrument-self-check.test.ts';

// One run covers every workspace. Each workspace keeps its own tests next to its code
// (`<workspace>/test/**`). Database-backed tests get an isolated database per file
// from test-support/postgres.ts, so files can run in parallel without colliding.
export default defineConfig({
  test: {
    reporters: ['default', './test-support/closing-line-reporter.ts'],
    projects: [
      {
        test: {
          name: 'suite',
          include: ['{fitness,reference-app,load}/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', INSTRUMENT],
          globalSetup: ['./test-support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // 2 cores on CI: more forks only add contention for Postgres and the event loop.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'instrument',
          include: [INSTRUMENT],
          testTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
