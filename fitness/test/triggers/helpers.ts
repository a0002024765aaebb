import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { EVIDENCE_SCHEMA_VERSION, type Evidence } from '../../src/triggers/evidence-schema.js';
import { evidenceTimestamp } from '../../src/triggers/evidence-store.js';

/** A complete, schema-valid evidence document; tests override what they are about. */
export function makeEvidence(scenario: string, metrics: Record<string, number>, finishedAt: Date, extra: Partial<Evidence> = {}): Evidence {
  return {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    scenario,
    definitionHash: `sha256:${'a'.repeat(64)}`,
    profile: 'test',
    runner: { name: 'open-model', version: '0.1.0' },
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
}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'archfit-triggers-'));
  await mkdir(path.join(root, 'src/billing'), { recursive: true });
  await writeFile(path.join(root, 'src/billing/index.ts'), 'export const x = 1;\n');
  await writeFile(
    path.join(root, 'archfit.config.json'),
    JSON.stringify({ modules: [{ name: 'billing', root: 'src/billing' }], ...(opts.tags ? { tags: opts.tags } : {}) }),
  );
  await mkdir(path.join(root, 'adr'));
  for (const a of opts.adrs) {
    const title = a.file.replace(/^\d{4}-/, '').replace(/\.md$/, '').replace(/-/g, ' ');
    await writeFile(path.join(root, 'adr', a.file), `---\n${stringify(a.frontMatter)}---\n\n# ${title}\n`);
  }
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
