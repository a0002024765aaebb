import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { EVIDENCE_SCHEMA_VERSION, type Evidence, type EvidenceStep } from '../../src/triggers/evidence-schema.js';
import { evidenceTimestamp } from '../../src/triggers/evidence-store.js';

/** The scenario definitions every test repository gets, and their hashes (what a run records). */
export const SCENARIO_TEXT: Record<string, string> = Object.fromEntries(
  ['dau', 'write-contention', 'compute-latency'].map((id) => [id, `${JSON.stringify({ id, thresholds: [{ id: 'capacity', metric: 'dau_capacity', comparator: '>=', value: 10000, unit: 'users/day' }] })}\n`]),
);
export const scenarioHash = (id: string) => `sha256:${createHash('sha256').update(SCENARIO_TEXT[id] ?? id).digest('hex')}`;

/** Quality of a run that qualifies under the default policy: calibrated within 10 %, generator on schedule. */
export const goodQuality = (): NonNullable<Evidence['quality']> => ({
  calibration: { error: 0.03, tolerance: 0.1, passed: true, measured: { p50: 51, p90: 660, p99: 1015 }, truth: { p50: 50, p90: 650, p99: 1010 }, lateP99Ms: 1.2 },
  loadAverage: { samples: [0.4, 0.9], min: 0.4, max: 0.9 },
  generator: { cpuShareMax: 0.2, lateP99MaxMs: 1.5, behindSteps: [] },
  errorRateMax: 0,
});

/** A complete, schema-valid evidence document that qualifies by default; tests override what they are about. */
export function makeEvidence(scenario: string, metrics: Record<string, number>, finishedAt: Date, extra: Partial<Evidence> = {}): Evidence {
  return {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    scenario,
    definitionHash: scenarioHash(scenario),
    profile: 'full',
    runner: { name: 'open-model', version: '0.2.0' },
    startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    interrupted: false,
    commit: { sha: 'f'.repeat(40), dirty: false },
    machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'test', memoryBytes: 1, node: 'v20' },
    target: { url: 'http://127.0.0.1:1', appEnv: {} },
    steps: [],
    database: {},
    metrics,
    units: {},
    thresholds: [],
    notes: [],
    quality: goodQuality(),
    ...extra,
  };
}

export interface TriggerDef {
  id: string;
  metric: string;
  comparator: '<' | '<=' | '>' | '>=';
  threshold: { value: number; unit: string };
  source: { scenario: string } | { repository: string };
  sustain?: string;
  description?: string;
}

/** A throw-away repository: archfit.config.json, one module, ADRs and evidence as given. */
export async function makeRepo(opts: {
  adrs: Array<{ file: string; frontMatter: Record<string, unknown> }>;
  evidence?: Array<{ name?: string; doc: Evidence | string }>;
  tags?: Record<string, string[]>;
  /** Scenario definitions to leave out (a trigger naming one has an unknown source). */
  withoutScenarios?: string[];
  /** Extra archfit config keys, e.g. { triggers: { evidence: { requireFresh: false } } }. */
  config?: Record<string, unknown>;
}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'archfit-triggers-'));
  await mkdir(path.join(root, 'src/billing'), { recursive: true });
  await writeFile(path.join(root, 'src/billing/index.ts'), 'export const x = 1;\n');
  await writeFile(
    path.join(root, 'archfit.config.json'),
    JSON.stringify({ modules: [{ name: 'billing', root: 'src/billing' }], ...(opts.tags ? { tags: opts.tags } : {}), ...opts.config }),
  );
  await mkdir(path.join(root, 'adr'));
  for (const a of opts.adrs) {
    const title = a.file.replace(/^\d{4}-/, '').replace(/\.md$/, '').replace(/-/g, ' ');
    await writeFile(path.join(root, 'adr', a.file), `---\n${stringify(a.frontMatter)}---\n\n# ${title}\n`);
  }
  await mkdir(path.join(root, 'load/scenarios'), { recursive: true });
  for (const [id, text] of Object.entries(SCENARIO_TEXT)) if (!(opts.withoutScenarios ?? []).includes(id)) await writeFile(path.join(root, 'load/scenarios', `${id}.json`), text);
  await mkdir(path.join(root, 'load/results'), { recursive: true });
  for (const e of opts.evidence ?? []) {
    const doc = e.doc;
    const name = e.name ?? (typeof doc === 'string' ? 'broken.json' : `${doc.scenario}-${evidenceTimestamp(new Date(doc.finishedAt))}.json`);
    await writeFile(path.join(root, 'load/results', name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
  return root;
}

export function adr(triggers: TriggerDef[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'accepted',
    date: '2026-11-01',
    'decision-makers': ['someone'],
    'revisit-triggers': triggers.map((t) => ({ description: `${t.id} trigger`, ...t })),
    ...extra,
  };
}

export const dauTrigger: TriggerDef = {
  id: 'sustained-dau',
  metric: 'dau_capacity',
  comparator: '<',
  threshold: { value: 10000, unit: 'users/day' },
  source: { scenario: 'dau' },
};

/** One open-model step of a capacity search at `rate`/s; `behind` marks the generator late on it. */
export function searchStep(rate: number, verdict: 'pass' | 'fail' | 'inconclusive', behind = false): EvidenceStep {
  const latency = { count: rate, min: 1, mean: 5, p50: 4, p90: 8, p95: 9, p99: 12, p999: 20, max: 30 };
  return {
    label: `search ${rate}/s`,
    labels: { phase: 'search' },
    model: 'open',
    offeredRate: rate,
    achievedRate: rate,
    durationS: 10,
    requests: rate * 10,
    errors: { total: 0, rate: 0, byKind: {} },
    latency,
    extra: {},
    withinSlo: verdict === 'pass',
    verdict,
    generator: { lateP50Ms: 1, lateP99Ms: behind ? 22 : 3, lateMaxMs: 40, cpuShare: 0.3, behind, reason: behind ? 'schedule lateness p99 22 ms > 10 ms' : null },
  };
}
