import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../src/rules/run.js';
import { EVIDENCE_SCHEMA_VERSION, evidenceTimestamp, type Evidence } from '../../src/triggers/index.js';

export const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'shop');

/** Trigger evaluation is taken at this moment, after every fixture run (stale and future checks depend on it). */
export const FIXED_NOW = new Date('2026-05-10T00:00:00.000Z');

/** The fixture's `writes` runs, oldest first: the newest (420 ms > 250 ms) fires hot-writes. */
export const RUNS: Array<{ at: string; p99: number }> = [
  { at: '2026-05-01T12:00:00.000Z', p99: 120 },
  { at: '2026-05-03T12:00:00.000Z', p99: 200 },
  { at: '2026-05-05T12:00:00.000Z', p99: 420 },
];

/**
 * A qualifying run of the fixture scenario: the current evidence schema version, the full
 * profile, the scenario file's own definition hash and a passed calibration, so that any
 * evidence policy that demands quality still counts it.
 */
export function writesEvidence(definitionHash: string, at: string, p99: number): Evidence {
  const finished = new Date(at);
  const doc = {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    scenario: 'writes',
    definitionHash,
    profile: 'full',
    runner: { name: 'fixture-runner', version: '1.0.0' },
    startedAt: new Date(finished.getTime() - 120_000).toISOString(),
    finishedAt: finished.toISOString(),
    interrupted: false,
    commit: { sha: 'c'.repeat(40), dirty: false },
    machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'fixture', memoryBytes: 1024, node: 'v20.0.0', loadAverage: [0.5, 0.4, 0.3] },
    target: { url: 'http://127.0.0.1:1', appEnv: {} },
    steps: [],
    database: {},
    metrics: { hot_p99_ms: p99 },
    units: { hot_p99_ms: 'ms' },
    thresholds: [{ id: 'hot-p99', metric: 'hot_p99_ms', comparator: '<=', value: 250, unit: 'ms', actual: p99, verdict: p99 <= 250 ? 'pass' : 'fail' }],
    notes: [`fixture run at ${p99} ms`],
    quality: {
      calibration: { error: 0.02, tolerance: 0.1, passed: true, measured: { p50: 10, p90: 20, p99: 30 }, truth: { p50: 10, p90: 20, p99: 30 }, lateP99Ms: 1 },
      loadAverage: { samples: [0.5, 0.6], min: 0.5, max: 0.6 },
      generator: { cpuShareMax: 0.1, lateP99MaxMs: 1, behindSteps: [] },
      errorRateMax: 0,
    },
  };
  return doc as unknown as Evidence;
}

/**
 * A copy of the shop fixture with its load evidence (three runs, the newest firing a trigger,
 * an HTML report beside it), a baseline recording one module-boundary violation as debt, and
 * one more violation added after the baseline (a new one).
 */
export async function makeShop(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'archfit-site-'));
  await cp(FIXTURE, root, { recursive: true });
  const hash = `sha256:${createHash('sha256').update(await readFile(path.join(root, 'load/scenarios/writes.json'))).digest('hex')}`;
  await mkdir(path.join(root, 'load/results'), { recursive: true });
  for (const run of RUNS) {
    const name = `writes-${evidenceTimestamp(new Date(run.at))}`;
    await writeFile(path.join(root, 'load/results', `${name}.json`), `${JSON.stringify(writesEvidence(hash, run.at, run.p99), null, 2)}\n`);
    if (run === RUNS[RUNS.length - 1]) {
      await writeFile(path.join(root, 'load/results', `${name}.html`), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>writes report</title></head><body><h1>Load evidence: writes</h1><p>p99 ${run.p99} ms</p></body></html>\n`);
    }
  }
  await runCheck({ root, updateBaseline: true, cache: false });
  await writeFile(
    path.join(root, 'src/modules/orders/application/refund.ts'),
    "// Added after the baseline: a new module-boundary violation.\nimport { priceOf, type Listing } from '../../catalog/domain/listing.js';\n\nexport function refund(listing: Listing): number {\n  return -priceOf(listing);\n}\n",
  );
  return root;
}
