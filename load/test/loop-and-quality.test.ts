import { describe, expect, it, vi } from 'vitest';
import type { GateFinding } from 'archfit';
import { calibrationTruth } from '../runner/calibrate.js';
import { loopExitCode } from '../runner/loop-gate.js';
import { main } from '../runner/main.js';
import { qualityOf } from '../runner/quality.js';
import type { EvidenceStep } from '../runner/evidence.js';

const finding = (kind: GateFinding['kind']): GateFinding => ({ kind, file: 'adr/0009.md', line: 1, triggerId: 't', message: kind });

describe('npm run loop', () => {
  it('exits 1 only for a firing no accepted revisit answers; stale, missing or invalid evidence are findings', () => {
    expect(loopExitCode([])).toBe(0);
    expect(loopExitCode([finding('stale'), finding('no-evidence'), finding('invalid'), finding('problem')])).toBe(0);
    expect(loopExitCode([finding('no-evidence'), finding('unanswered')])).toBe(1);
  });

  it('runs the quick profile only', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['--loop', '--profile', 'full']);
    vi.restoreAllMocks();
    expect(code).toBe(2);
    expect(err).toMatch(/--loop runs the quick profile only/);
  });
});

describe('evidence quality block', () => {
  const step = (label: string, behind: boolean, cpuShare: number | null, rate: number): EvidenceStep => ({
    label,
    labels: {},
    model: 'open',
    offeredRate: 10,
    achievedRate: 10,
    durationS: 1,
    requests: 10,
    errors: { total: 0, rate, byKind: {} },
    latency: { count: 10, min: 1, mean: 1, p50: 1, p90: 1, p95: 1, p99: 1, p999: 1, max: 1 },
    extra: {},
    generator: { lateP50Ms: 1, lateP99Ms: behind ? 40 : 2, lateMaxMs: 50, cpuShare, behind, reason: behind ? 'late' : null },
  });

  it('collects the calibration, the load samples, the slowest generator and the worst error rate', () => {
    const truth = calibrationTruth();
    const q = qualityOf({ error: 0.04, tolerance: 0.1, passed: true, measured: truth, truth, lateP99Ms: 1, cpuShare: 0.1, errors: 0 }, [1.5, 3.25, 2], [step('a', false, 0.2, 0), step('b', true, 0.5, 0.02), step('c', false, null, 0.01)]);
    expect(q.calibration).toMatchObject({ error: 0.04, passed: true });
    expect(q.loadAverage).toEqual({ samples: [1.5, 3.25, 2], min: 1.5, max: 3.25 });
    expect(q.generator).toEqual({ cpuShareMax: 0.5, lateP99MaxMs: 40, behindSteps: ['b'] });
    expect(q.errorRateMax).toBe(0.02);
  });
});
