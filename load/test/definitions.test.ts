import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildEvidence, verdicts } from '../runner/evidence.js';
import { loadScenario, ScenarioError } from '../scenarios/load-scenario.js';
import { SCENARIO_IDS } from '../scenarios/schema.js';

const LOAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('scenario definitions', () => {
  it.each(SCENARIO_IDS)('%s.json validates and carries the agreed trigger metrics as thresholds', async (id) => {
    const { scenario, hash } = await loadScenario(id);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const agreed = { dau: 'dau_capacity', 'write-contention': 'hot_row_p99_ms', 'compute-latency': 'colocated_fast_route_p99_ms', 'notification-lag': 'notification_lag_p99_ms' , 'module-cost': 'module_cpu_per_request_max_ratio' }[id];
    expect(scenario.thresholds.map((t) => t.metric)).toContain(agreed);
  });

  it('names the file and the field of a malformed definition', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archfit-scen-'));
    try {
      await writeFile(path.join(dir, 'dau.json'), JSON.stringify({ id: 'dau', kind: 'dau', description: 'x' }));
      await expect(loadScenario('dau', dir)).rejects.toThrow(ScenarioError);
      await expect(loadScenario('dau', dir)).rejects.toThrow(/dau\.json: \/\w+/);
      await expect(loadScenario('nope', dir)).rejects.toThrow(/no scenario nope/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('evidence', () => {
  it('turns metrics into verdicts, and a missing metric into "missing", never a pass', () => {
    const t = [
      { id: 'a', metric: 'x', comparator: '<=' as const, value: 10, unit: 'ms' },
      { id: 'b', metric: 'y', comparator: '>=' as const, value: 5, unit: 'u' },
      { id: 'c', metric: 'z', comparator: '<' as const, value: 1, unit: 'u' },
    ];
    expect(verdicts(t, { x: 10, y: 4 }).map((v) => [v.id, v.verdict, v.actual])).toEqual([
      ['a', 'pass', 10],
      ['b', 'fail', 4],
      ['c', 'missing', null],
    ]);
  });

  it('refuses to build evidence that breaks its own schema', () => {
    const base = {
      scenario: 'dau',
      definitionHash: 'not-a-hash',
      profile: 'test',
      runner: { name: 'x', version: '1' },
      startedAt: new Date(),
      finishedAt: new Date(),
      interrupted: false,
      commit: null,
      machine: { platform: 'p', arch: 'a', cpus: 1, cpuModel: 'm', memoryBytes: 1, node: 'v' },
      target: { url: 'u', appEnv: {} },
      steps: [],
      database: {},
      metrics: {},
      units: {},
      thresholds: [],
      notes: [],
    };
    expect(() => buildEvidence(base)).toThrow(/definitionHash/);
    expect(buildEvidence({ ...base, definitionHash: `sha256:${'0'.repeat(64)}` }).scenario).toBe('dau');
  });
});

describe('k6 scripts', () => {
  const tsc = path.resolve(LOAD, '../node_modules/typescript/bin/tsc');
  it('type-check against @types/k6', () => {
    expect(() => execFileSync(process.execPath, [tsc, '-p', path.join(LOAD, 'k6')], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('and the check catches an arrival-rate scenario without preAllocatedVUs', async () => {
    const dir = await mkdtemp(path.join(LOAD, 'k6', '.tmp-'));
    try {
      await copyFile(path.join(LOAD, 'k6', 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
      await mkdir(path.join(dir, 'lib'));
      await writeFile(
        path.join(dir, 'bad.ts'),
        "import type { Options } from 'k6/options';\nexport const options: Options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1s' } } };\n",
      );
      let out = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'pipe' });
      } catch (err) {
        out = String((err as { stdout?: Buffer }).stdout ?? '');
      }
      expect(out).toMatch(/preAllocatedVUs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
