import { inject } from 'vitest';
import type { RunContext } from '../../runner/scenario-context.js';

/** A quiet test-profile run context on the suite's Postgres, writing evidence into `resultsDir`. */
export function testRunContext(resultsDir: string): RunContext & { resultsDir: string } {
  return {
    profile: 'test',
    signal: new AbortController().signal,
    adminUrl: inject('adminDatabaseUrl'),
    resultsDir,
    log: () => {},
    progress: () => ({ update: () => {}, stop: () => {} }),
  };
}
