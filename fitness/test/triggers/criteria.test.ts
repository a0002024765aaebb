import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAdr } from '../../src/adr/parse.js';
import { criteriaVerdict, evaluateCriteria } from '../../src/triggers/criteria.js';
import { REPO_ROOT } from '../adr/helpers.js';

/** Success and rollback criteria of an extraction, read from the pilot's newest complete run. */
const record = parseAdr(
  `---
status: accepted
date: 2026-01-01
decision-makers: [architect]
success-criteria:
  - id: caller-keeps-slo
    description: The route calling the extracted service keeps its 100 ms p99.
    metric: fast_route_p99_ms_service
    comparator: "<="
    threshold: { value: 100, unit: ms }
    source: { scenario: compute-latency }
rollback-criteria:
  - id: caller-far-past-slo
    description: The calling route is far past its SLO with the service.
    metric: fast_route_p99_ms_service
    comparator: ">"
    threshold: { value: 250, unit: ms }
    source: { scenario: compute-latency }
---

# Pilot
`,
  'adr/0008-pilot.md',
);

async function repoWith(values: number[]): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'archfit-criteria-'));
  await mkdir(path.join(root, 'load/results'), { recursive: true });
  const real = JSON.parse(await readFile(path.join(REPO_ROOT, 'load/results/compute-latency-20261123T122256122Z.json'), 'utf8'));
  for (const [i, v] of values.entries()) {
    const stamp = `2026112${i + 1}T120000000Z`;
    await writeFile(path.join(root, `load/results/compute-latency-${stamp}.json`), JSON.stringify({ ...real, metrics: { ...real.metrics, fast_route_p99_ms_service: v } }));
  }
  return root;
}

describe('extraction criteria', () => {
  it('succeeded when the newest run meets every success criterion and no rollback criterion', async () => {
    const results = await evaluateCriteria(await repoWith([400, 5.1]), 'load/results', [record]);
    expect(results.map((r) => [r.kind, r.id, r.status, r.value])).toEqual([
      ['success', 'caller-keeps-slo', 'met', 5.1],
      ['rollback', 'caller-far-past-slo', 'not-met', 5.1],
    ]);
    expect(criteriaVerdict(results)).toBe('succeeded');
  });

  it('roll back when a rollback criterion holds; not yet when success is missed without it', async () => {
    expect(criteriaVerdict(await evaluateCriteria(await repoWith([5, 400]), 'load/results', [record]))).toBe('roll-back');
    expect(criteriaVerdict(await evaluateCriteria(await repoWith([180]), 'load/results', [record]))).toBe('not-yet');
  });

  it('cannot evaluate without evidence: never a pass', async () => {
    const results = await evaluateCriteria(await repoWith([]), 'load/results', [record]);
    expect(results.every((r) => r.status === 'no-evidence')).toBe(true);
    expect(criteriaVerdict(results)).toBe('cannot-evaluate');
  });
});

describe('extraction criteria under an evidence policy', () => {
  it('skips runs the policy disqualifies, and says why when none is left', async () => {
    const root = await repoWith([400, 5.1]);
    // The newest run (5.1 ms) is disqualified: the older one (400 ms) decides.
    const newestOut = (_s: string, ev: { finishedAt: string; metrics: Record<string, number> }) => (ev.metrics.fast_route_p99_ms_service === 5.1 ? ['quick profile'] : []);
    expect(criteriaVerdict(await evaluateCriteria(root, 'load/results', [record], newestOut))).toBe('roll-back');
    const results = await evaluateCriteria(root, 'load/results', [record], () => ['records no calibration (schemaVersion 1)']);
    expect(results[0]).toMatchObject({ status: 'no-evidence', reason: expect.stringContaining('none of the 2 run(s) of compute-latency qualifies') });
    expect(criteriaVerdict(results)).toBe('cannot-evaluate');
  });
});
