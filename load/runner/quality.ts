import os from 'node:os';
import type { CalibrationResult } from './calibrate.js';
import type { Evidence, EvidenceStep } from './evidence.js';

type Quality = NonNullable<Evidence['quality']>;
const r2 = (v: number) => Math.round(v * 100) / 100;

/**
 * The 1-minute load average sampled through a run (every `everyMs`, first sample at once):
 * one figure at the start says nothing about the neighbours that arrived halfway.
 */
export function sampleLoadAverage(everyMs = 5_000): { stop(): number[] } {
  const samples = [os.loadavg()[0]!];
  const timer = setInterval(() => samples.push(os.loadavg()[0]!), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(os.loadavg()[0]!);
      return samples.map(r2);
    },
  };
}

/** The evidence's `quality` block from the calibration, the load samples and the steps' own reports. */
export function qualityOf(calibration: CalibrationResult, load: number[], steps: readonly EvidenceStep[]): Quality {
  const open = steps.filter((s) => s.model === 'open');
  const shares = open.map((s) => s.generator?.cpuShare).filter((v): v is number => typeof v === 'number');
  return {
    calibration: { error: calibration.error, tolerance: calibration.tolerance, passed: calibration.passed, measured: calibration.measured, truth: calibration.truth, lateP99Ms: calibration.lateP99Ms },
    loadAverage: { samples: load, min: Math.min(...load), max: Math.max(...load) },
    generator: {
      cpuShareMax: shares.length ? Math.max(...shares) : null,
      lateP99MaxMs: Math.max(0, ...open.map((s) => s.generator?.lateP99Ms ?? 0)),
      behindSteps: open.filter((s) => s.generator?.behind).map((s) => s.label),
    },
    errorRateMax: Math.max(0, ...open.map((s) => s.errors.rate)),
  };
}
