import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EVIDENCE_POLICY, evaluateTriggers, readEvidence } from 'archfit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeEvidence } from '../runner/evidence.js';
import { main } from '../runner/http-mix-cli.js';
import { readDefinitionFile } from '../runner/http-mix-definition.js';
import { importK6Summary, mergeK6Evidence, summaryMetrics } from '../runner/k6-import.js';

// The fixtures are written by hand in k6's two documented summary shapes (k6 cannot be
// installed here, so none was recorded from a real run): handleSummary's data, with the
// `archfit` block the generated script adds, and the older --summary-export layout.
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/k6');
const DEFINITION = path.join(FIXTURES, 'checkout-mix.json');

const ADR = `---
status: accepted
date: 2026-11-30
decision-makers: [shop team]
revisit-triggers:
  - id: checkout-peak-latency
    description: The shop's peak mix no longer answers within 200 ms p99 on one instance.
    metric: p99_ms_peak
    comparator: ">"
    threshold: { value: 200, unit: ms }
    source: { scenario: checkout-mix }
---

# One shop instance

## Context and Problem Statement

Fixture record for the k6 import test.
`;

let repo: string;
beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'archfit-k6-import-'));
  await mkdir(path.join(repo, 'adr'));
  await mkdir(path.join(repo, 'load/scenarios'), { recursive: true });
  await writeFile(path.join(repo, 'adr/0001-one-shop-instance.md'), ADR);
  await copyFile(DEFINITION, path.join(repo, 'load/scenarios/checkout-mix.json'));
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

const settings = (now: Date) => ({ root: repo, adrDir: 'adr', resultsDir: 'load/results', scenariosDir: 'load/scenarios', evidenceMaxAgeDays: 30, modules: [], now });

describe('archfit load --import (k6 summaries)', () => {
  it('reads both summary shapes: handleSummary values and --summary-export top-level stats', () => {
    const a = summaryMetrics({ metrics: { 'http_req_failed{scenario:x}': { type: 'rate', values: { rate: 0.5, passes: 1, fails: 1 } } } });
    const b = summaryMetrics({ metrics: { 'http_req_failed{scenario:x}': { passes: 1, fails: 1, value: 0.5, thresholds: { 'rate<0.1': true } } } });
    expect(a.get('http_req_failed{scenario:x}')).toEqual({ rate: 0.5, passes: 1, fails: 1 });
    expect(b.get('http_req_failed{scenario:x}')).toMatchObject({ rate: 0.5, passes: 1 });
    expect(() => summaryMetrics({ nope: 1 })).toThrow(/not a k6 summary/);
  });

  it('a handleSummary run becomes evidence with runner k6, the dau SLO rule per step, and fires the ADR trigger', async () => {
    const evidence = await importK6Summary({ summaryFile: path.join(FIXTURES, 'checkout-mix.handle-summary.json'), definition: await readDefinitionFile(DEFINITION), root: repo });
    expect(evidence.runner).toEqual({ name: 'k6', version: 'v1.4.0' });
    expect(evidence.steps.map((s) => [s.label, s.withinSlo])).toEqual([['base', true], ['peak', false]]);
    // Dropped iterations are errors, as in the in-repo runner: (6 failed + 40 dropped) / 12,000 scheduled.
    expect(evidence.steps[1]!.errors).toMatchObject({ total: 46, rate: 0.00383 });
    expect(evidence.metrics).toMatchObject({ p99_ms_peak: 350.6, sustainable_rate_rps: 100, first_failing_rate_rps: 400 });
    expect(evidence.thresholds.map((t) => [t.id, t.verdict])).toEqual([['peak-p99', 'fail'], ['sustainable', 'fail']]);
    const file = await writeEvidence(path.join(repo, 'load/results'), evidence);
    const read = await readEvidence("/", file);
    expect(read.ok ? "ok" : read.reason).toBe("ok");
    expect(evidence.quality?.calibration).toBeNull();
    const now = new Date('2026-12-02T00:00:00Z');
    // Fail closed: archfit cannot calibrate k6, so by default its run is indicative and decides nothing.
    const strict = await evaluateTriggers(settings(now));
    expect(strict.problems).toEqual([]);
    expect(strict.triggers[0]).toMatchObject({ id: 'checkout-peak-latency', status: 'no-evidence', indicative: [{ value: 350.6 }] });
    expect(strict.triggers[0]!.indicative![0]!.reasons.join(' ')).toMatch(/not calibrated by archfit \(runner k6/);
    // A team that trusts its k6 cluster says so in the config: then the imported run fires the trigger.
    const trusting = await evaluateTriggers({ ...settings(now), policy: { ...DEFAULT_EVIDENCE_POLICY, externalRunners: ['k6'] } });
    expect(trusting.triggers.map((t) => [t.id, t.status, t.value])).toEqual([['checkout-peak-latency', 'fired', 350.6]]);
  });

  it('merges the runs of several app starts (one per strategy or mode) into one evidence file, verdicts recomputed', async () => {
    const definition = await readDefinitionFile(DEFINITION);
    const a = await importK6Summary({ summaryFile: path.join(FIXTURES, 'checkout-mix.summary-export.json'), definition, root: repo });
    const b = await importK6Summary({ summaryFile: path.join(FIXTURES, 'checkout-mix.handle-summary.json'), definition, root: repo });
    const merged = mergeK6Evidence([a, b], definition.scenario.thresholds);
    expect(merged.steps).toHaveLength(4);
    expect(merged.metrics.p99_ms_peak).toBe(350.6);
    expect(merged.thresholds.find((t) => t.id === 'peak-p99')?.verdict).toBe('fail');
  });

  it('refuses a summary of another definition version, naming both hashes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archfit-k6-import-edit-'));
    try {
      const edited = path.join(dir, 'checkout-mix.json');
      await writeFile(edited, (await import('node:fs')).readFileSync(DEFINITION, 'utf8').replace('"seed": 3', '"seed": 4'));
      await expect(importK6Summary({ summaryFile: path.join(FIXTURES, 'checkout-mix.handle-summary.json'), definition: await readDefinitionFile(edited), root: dir })).rejects.toThrow(/ran definition sha256:c653.* but .* is now sha256:/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('through the CLI: a --summary-export run within the SLO passes its thresholds; bad input exits 2', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await main(['--import', path.join(FIXTURES, 'checkout-mix.summary-export.json'), '--definition', DEFINITION, '--results', path.join(repo, 'export-results'), '--root', repo, '--no-triggers']);
      expect(code).toBe(0);
      expect(out).toMatch(/pass {4}peak-p99: p99_ms_peak 150.4/);
      expect(await main(['--import', path.join(FIXTURES, 'nope.json'), '--definition', DEFINITION, '--root', repo])).toBe(2);
      expect(await main(['--import', path.join(FIXTURES, 'checkout-mix.summary-export.json')])).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
