import { describe, expect, it } from 'vitest';
import { runSchedule, type ScheduleOptions } from '../runner/open-schedule.js';
import { stepVerdict } from '../runner/slo.js';
import { fakeServer, fifoServer, percentile, VirtualClock, type ServerModel } from './fixtures/virtual-clock.js';

// The open-model schedule against simulated servers on a virtual clock: the truth of every
// case is exact, so the bounds (p99 within 10 % of truth) hold on any machine, however busy.

const slo = { p99Ms: 250, maxErrorRate: 0.001 };

async function measure(model: ServerModel, opts: Partial<ScheduleOptions> & { rate: number; durationS: number }) {
  const clock = new VirtualClock();
  const server = fakeServer(clock, model);
  const result = await clock.run(
    runSchedule({ maxInFlight: 1000, timeoutMs: 10_000, maxLatenessMs: 10, next: () => ({ name: 'GET /', method: 'GET', path: '/' }), clock, send: server.send, ...opts }),
  );
  return { result, arrivals: server.arrivals };
}

/** True latency of request i (intended at i/rate) given when the server answers it. */
function truth(rate: number, durationS: number, answerAt: (t: number, i: number) => number): number[] {
  return Array.from({ length: Math.floor(rate * durationS) }, (_, i) => answerAt((i * 1000) / rate, i) - (i * 1000) / rate);
}

const within = (measured: number, expected: number, tolerance = 0.1) => {
  expect(measured).toBeGreaterThanOrEqual(expected * (1 - tolerance));
  expect(measured).toBeLessThanOrEqual(expected * (1 + tolerance));
};

describe('open-model schedule against known truth (virtual clock)', () => {
  it('two 1 s stalls at 100 req/s: p50, p90 and p99 within 10 % of truth', async () => {
    const stalls = [[3000, 4000], [7000, 8000]] as const;
    const answerAt = (t: number) => (stalls.find(([a, b]) => t >= a && t < b)?.[1] ?? t) + 1;
    const { result } = await measure((at) => answerAt(at), { rate: 100, durationS: 10 });
    const real = truth(100, 10, answerAt);
    within(result.latency.p50, percentile(real, 50));
    within(result.latency.p90, percentile(real, 90));
    within(result.latency.p99, percentile(real, 99));
    expect(result.latency.p99).toBeGreaterThan(900); // the stall is seen, not omitted
    expect(result.generator.behind).toBe(false);
  });

  it('bimodal service (90 % at 5 ms, 10 % at 200 ms): p50 and p99 within 10 %', async () => {
    const service = (i: number) => (i % 10 === 0 ? 200 : 5);
    const { result } = await measure((at, i) => at + service(i), { rate: 200, durationS: 5 });
    const real = truth(200, 5, (t, i) => t + service(i));
    within(result.latency.p50, percentile(real, 50));
    within(result.latency.p99, percentile(real, 99));
    expect(stepVerdict(result, slo)).toBe('pass');
  });

  it('a 10 s freeze in 30 s at 100 req/s: p99 within 10 % of ~9.7 s', async () => {
    const answerAt = (t: number) => (t >= 10_000 && t < 20_000 ? 20_000 : t) + 1;
    const { result } = await measure((at) => answerAt(at), { rate: 100, durationS: 30, timeoutMs: 30_000, maxInFlight: 5000 });
    const real = truth(100, 30, answerAt);
    within(result.latency.p99, percentile(real, 99));
    within(result.latency.p90, percentile(real, 90));
    expect(result.errors.total).toBe(0);
  });

  it('overload (400/s offered, 200/s capacity) with room in flight: p99 within 10 % of the queue truth, and the step fails its SLO', async () => {
    const fifo = fifoServer(5);
    const { result } = await measure(fifo, { rate: 400, durationS: 10, timeoutMs: 60_000, maxInFlight: 100_000 });
    const replay = fifoServer(5);
    const real = truth(400, 10, (t) => replay(t, 0, { name: '', method: 'GET', path: '/' }) as number);
    within(result.latency.p99, percentile(real, 99));
    expect(result.achievedRate).toBeLessThan(210);
    expect(stepVerdict(result, slo)).toBe('fail');
  });

  it('overload with the in-flight cap: dropped requests count as not answered, p99 is not a plateau at cap x service time', async () => {
    const { result } = await measure(fifoServer(5), { rate: 400, durationS: 10 });
    expect(result.dropped).toBeGreaterThan(0);
    // Truth for the last requests is ~10 s of queueing; the cap alone would show ~5 s.
    within(result.latency.p99, 10_000);
    expect(result.errors.byKind.dropped).toBe(result.dropped);
    expect(result.planned).toBe(4000);
    expect(result.sent + result.dropped).toBe(result.planned);
    expect(stepVerdict(result, slo)).toBe('fail');
  });

  it('5 % never answered: counted at the timeout, p99 is the timeout, the step fails', async () => {
    const { result } = await measure((at, i) => (i % 20 === 0 ? 'never' : at + 2), { rate: 100, durationS: 10, timeoutMs: 5_000 });
    expect(result.timeouts).toBe(50);
    expect(result.errors.rate).toBeCloseTo(0.05, 5);
    within(result.latency.p99, 5_000);
    expect(result.latency.count).toBe(1000); // every request is in the percentiles
    expect(stepVerdict(result, slo)).toBe('fail');
  });

  it('nothing answered (connection refused): p99 is not 0, the step fails', async () => {
    const { result } = await measure(() => 'refused', { rate: 50, durationS: 2, timeoutMs: 5_000 });
    expect(result.achieved).toBe(0);
    expect(result.latency.count).toBe(100);
    within(result.latency.p99, 5_000);
    expect(result.errors.byKind.ECONNREFUSED).toBe(100);
    expect(stepVerdict(result, slo)).toBe('fail');
  });

  it('nothing answered (server hangs): every request times out at the timeout', async () => {
    const { result } = await measure(() => 'never', { rate: 50, durationS: 2, timeoutMs: 3_000 });
    expect(result.timeouts).toBe(100);
    within(result.latency.p50, 3_000);
    expect(stepVerdict(result, slo)).toBe('fail');
  });

  it('a generator that falls behind its schedule says so, and the step is no verdict on the app', async () => {
    const clock = new VirtualClock();
    const server = fakeServer(clock, (at) => at + 1);
    // A clock whose timers fire 30 ms late: the schedule is late by that much.
    const lateClock = { now: () => clock.now(), setTimer: (ms: number, fn: () => void) => clock.setTimer(ms + 30, fn) };
    const result = await clock.run(runSchedule({ rate: 100, durationS: 2, maxInFlight: 1000, timeoutMs: 10_000, maxLatenessMs: 10, next: () => ({ name: 'GET /', method: 'GET', path: '/' }), clock: lateClock, send: server.send }));
    expect(result.generator.lateP99Ms).toBeGreaterThan(10);
    expect(result.generator.behind).toBe(true);
    expect(result.generator.reason).toMatch(/lateness p99/);
    expect(stepVerdict(result, slo)).toBe('inconclusive');
  });

  it('reports offered, sent, achieved, dropped and timeouts that add up', async () => {
    const { result } = await measure((at, i) => (i % 10 === 0 ? 'never' : at + 1), { rate: 100, durationS: 3, timeoutMs: 1_000 });
    expect(result.planned).toBe(300);
    expect(result.sent).toBe(300);
    expect(result.achieved).toBe(270);
    expect(result.timeouts).toBe(30);
    expect(result.dropped).toBe(0);
  });
});
