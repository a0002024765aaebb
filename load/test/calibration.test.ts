import { describe, expect, it } from 'vitest';
import { calibrateWith, calibrationAnswerAt, calibrationTruth, judgeCalibration } from '../runner/calibrate.js';
import { RECORD_REUSE_MS, reusableCalibration, type RecordedCalibration } from '../runner/run-scenario.js';
import { fakeServer, VirtualClock } from './fixtures/virtual-clock.js';

// The calibration the runner does before writing evidence, with its clock and server
// simulated: deterministic on any machine, and red if the judging logic is broken.

function calibrationServer(clock: VirtualClock, shift = 0) {
  let first: number | undefined;
  return fakeServer(clock, (at) => {
    first ??= at;
    return first + calibrationAnswerAt(at - first) + shift;
  });
}

describe('calibration against the stall server', () => {
  it('knows its truth: p50 is the 50 ms service, p90 and p99 fall inside the 1 s stall', () => {
    expect(calibrationTruth()).toEqual({ p50: 50, p90: 650, p99: 1010 });
  });

  it('an exact instrument passes with ~0 error', async () => {
    const clock = new VirtualClock();
    const c = await clock.run(calibrateWith(clock, calibrationServer(clock).send, 0.1));
    expect(c.passed).toBe(true);
    expect(c.error).toBeLessThan(0.01);
    expect(c.errors).toBe(0);
  });

  it('a machine whose timers run 30 ms late fails the 10 % tolerance', async () => {
    const clock = new VirtualClock();
    const server = calibrationServer(clock);
    const late = { now: () => clock.now(), setTimer: (ms: number, fn: () => void) => clock.setTimer(ms + 30, fn) };
    const c = await clock.run(calibrateWith(late, server.send, 0.1));
    expect(c.passed).toBe(false);
    expect(c.error).toBeGreaterThan(0.1);
  });

  it('a server 10 ms slower than the truth says (p50 60 vs 50 ms) fails', async () => {
    const clock = new VirtualClock();
    const c = await clock.run(calibrateWith(clock, calibrationServer(clock, 10).send, 0.1));
    expect(c.passed).toBe(false);
    expect(c.error).toBeCloseTo(0.2, 2);
  });

  it('judges each percentile against the tolerance, on both sides', () => {
    const truth = calibrationTruth();
    expect(judgeCalibration(truth, 0.1).passed).toBe(true);
    expect(judgeCalibration({ ...truth, p99: truth.p99 * 1.09 }, 0.1).passed).toBe(true);
    expect(judgeCalibration({ ...truth, p99: truth.p99 * 1.11 }, 0.1).passed).toBe(false);
    expect(judgeCalibration({ ...truth, p90: truth.p90 * 0.85 }, 0.1).passed).toBe(false);
    // A blind instrument that misses the stall entirely (closed-model view).
    expect(judgeCalibration({ p50: 50, p90: 51, p99: 52 }, 0.1)).toMatchObject({ passed: false });
  });

  it('a lost request fails the calibration whatever the percentiles', async () => {
    const clock = new VirtualClock();
    let n = 0;
    let first: number | undefined;
    const server = fakeServer(clock, (at) => {
      first ??= at;
      return n++ === 5 ? 'refused' : first + calibrationAnswerAt(at - first);
    });
    const c = await clock.run(calibrateWith(clock, server.send, 0.1));
    expect(c.errors).toBe(1);
    expect(c.passed).toBe(false);
  });
});

describe('an indicative run reuses a recent calibration; a run that must pass never does', () => {
  const result = { ...judgeCalibration({ p50: 51, p90: 655, p99: 1012 }, 0.1), lateP99Ms: 1 } as unknown as RecordedCalibration['result'];
  const last: RecordedCalibration = { at: 1_000_000, tolerance: 0.1, result };

  it('reuses one of the same tolerance up to RECORD_REUSE_MS old, in record mode only', () => {
    expect(reusableCalibration(last, 'record', 0.1, last.at + RECORD_REUSE_MS)).toBe(last);
    expect(reusableCalibration(last, 'record', 0.1, last.at + RECORD_REUSE_MS + 1)).toBeUndefined();
    expect(reusableCalibration(last, 'require', 0.1, last.at + 1)).toBeUndefined();
    expect(reusableCalibration(last, 'record', 0.05, last.at + 1)).toBeUndefined();
    expect(reusableCalibration(undefined, 'record', 0.1, last.at)).toBeUndefined();
    // A clock that went backwards is no evidence of freshness.
    expect(reusableCalibration(last, 'record', 0.1, last.at - 1)).toBeUndefined();
  });
});
