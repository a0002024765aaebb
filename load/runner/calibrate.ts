import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { processCpuMicros, realClock } from './open-model.js';
import { round, runSchedule, type Clock, type Send } from './open-schedule.js';

/**
 * Before a run that writes evidence, the runner measures a server whose truth is known, in
 * this process and on this machine as it is now: every request is answered after SERVICE_MS,
 * except that requests arriving inside a 1 s stall are held until the stall ends. The error
 * against that truth is recorded in the evidence, and no evidence is written when it is over
 * the tolerance (the machine cannot measure right now).
 */
export const CALIBRATION = { rate: 100, durationS: 4, serviceMs: 50, stallFromMs: 1500, stallToMs: 2500 } as const;
export const CALIBRATION_PERCENTILES = [50, 90, 99] as const;

export interface CalibrationResult {
  /** Largest relative error over p50, p90 and p99 (0.05 = 5 %). */
  error: number;
  tolerance: number;
  passed: boolean;
  measured: Record<'p50' | 'p90' | 'p99', number>;
  truth: Record<'p50' | 'p90' | 'p99', number>;
  /** Generator schedule lateness p99 and CPU share during the calibration. */
  lateP99Ms: number;
  cpuShare: number | null;
  errors: number;
}

/** When the calibration server answers a request that arrived `sinceFirstMs` after its first one. */
export function calibrationAnswerAt(sinceFirstMs: number): number {
  const held = sinceFirstMs >= CALIBRATION.stallFromMs && sinceFirstMs < CALIBRATION.stallToMs ? CALIBRATION.stallToMs : sinceFirstMs;
  return held + CALIBRATION.serviceMs;
}

/** The exact latencies the schedule should measure (from intended times), nearest-rank percentiles. */
export function calibrationTruth(): CalibrationResult['truth'] {
  const n = Math.floor(CALIBRATION.rate * CALIBRATION.durationS);
  const latencies = Array.from({ length: n }, (_, i) => {
    const t = (i * 1000) / CALIBRATION.rate;
    return calibrationAnswerAt(t) - t;
  }).sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.ceil((p / 100) * n) - 1]!;
  return { p50: at(50), p90: at(90), p99: at(99) };
}

/** Pure: the verdict on measured against true percentiles. */
export function judgeCalibration(measured: CalibrationResult['measured'], tolerance: number): Pick<CalibrationResult, 'error' | 'passed' | 'truth' | 'tolerance' | 'measured'> {
  const truth = calibrationTruth();
  const error = Math.max(...CALIBRATION_PERCENTILES.map((p) => Math.abs(measured[`p${p}`] - truth[`p${p}`]) / truth[`p${p}`]));
  return { error: round(error, 4), passed: error <= tolerance, truth, tolerance, measured };
}

/** Runs the calibration schedule with any clock and transport (the tests use a simulated server). */
export async function calibrateWith(clock: Clock, send: Send, tolerance: number, cpuMicros?: () => number): Promise<CalibrationResult> {
  const r = await runSchedule({
    rate: CALIBRATION.rate,
    durationS: CALIBRATION.durationS,
    maxInFlight: 1000,
    timeoutMs: 10_000,
    maxLatenessMs: 10,
    ...(cpuMicros ? { cpuMicros } : {}),
    clock,
    send,
    next: () => ({ name: 'GET /calibrate', method: 'GET', path: '/calibrate' }),
  });
  const judged = judgeCalibration({ p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99 }, tolerance);
  // A request lost is an instrument that cannot be trusted, whatever the percentiles say.
  const passed = judged.passed && r.errors.total === 0 && r.achieved === r.planned;
  return { ...judged, passed, lateP99Ms: r.generator.lateP99Ms, cpuShare: r.generator.cpuShare, errors: r.errors.total };
}

/** The calibration server, in this process, so it runs on exactly the event loop the runner does. */
async function startCalibrationServer(): Promise<{ url: string; server: Server }> {
  let first: number | undefined;
  const server = createServer((req, res) => {
    if (req.url === '/warm') {
      res.end('ok');
      return;
    }
    const now = realClock.now();
    first ??= now;
    setTimeout(() => res.end('ok'), Math.max(0, first + calibrationAnswerAt(now - first) - now));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The real calibration: a loopback server in this process, measured through undici like the scenarios are. */
export async function calibrate(tolerance: number): Promise<CalibrationResult> {
  const { url, server } = await startCalibrationServer();
  const pool = new Pool(url, { connections: 200, pipelining: 1 });
  const send: Send = async (spec, signal) => {
    const res = await pool.request({ method: spec.method, path: spec.path, signal });
    await res.body.dump();
    return { status: res.statusCode, headers: res.headers };
  };
  try {
    // Unmeasured warm-up: JIT and connections, which a scenario step has behind it too.
    await runSchedule({ rate: CALIBRATION.rate, durationS: 0.5, maxInFlight: 1000, timeoutMs: 10_000, maxLatenessMs: 10, clock: realClock, send, next: () => ({ name: 'warm', method: 'GET', path: '/warm' }) });
    return await calibrateWith(realClock, send, tolerance, processCpuMicros);
  } finally {
    await pool.close().catch(() => {});
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export function describeCalibration(c: CalibrationResult): string {
  const pct = (v: number) => `${round(v * 100, 1)} %`;
  return `calibration: p50 ${c.measured.p50}/${c.truth.p50} ms, p90 ${c.measured.p90}/${c.truth.p90} ms, p99 ${c.measured.p99}/${c.truth.p99} ms (measured/true), error ${pct(c.error)} (tolerance ${pct(c.tolerance)}), generator lateness p99 ${c.lateP99Ms} ms${c.errors ? `, ${c.errors} requests failed` : ''}`;
}
