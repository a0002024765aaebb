import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenModel } from '../runner/open-model.js';
import { startStallServer, type ChildServer } from './fixtures/child-server.js';

// The measuring instrument checked against known truth. 100 req/s for 10 s is 1,000 requests;
// two 1 s freezes catch about 100 scheduled requests each, waiting from ~1000 ms down to ~0.
// So the true p90 is the 100th-worst wait (~500 ms) and p99 the 10th-worst (~950 ms), while
// the median request never meets a freeze (~1 ms or less on loopback).
describe('open-model runner self-check', () => {
  let server: ChildServer;
  let control: ChildServer;
  beforeAll(async () => {
    [server, control] = await Promise.all([startStallServer(), startStallServer({ FREEZE_AT_MS: 'none' })]);
  });
  afterAll(async () => {
    await Promise.all([server.stop(), control.stop()]);
  });

  it('sees two 1 s stalls at 100 req/s as p50 ~1 ms, p90 ~500 ms, p99 ~950 ms (within 15%)', async () => {
    // A control server that never freezes runs at the same time: when other test files load
    // the machine, it shows what an undisturbed request costs right now.
    const [result, baseline] = await Promise.all([
      runOpenModel({ target: server.url, rate: 100, durationS: 10, next: () => ({ name: 'GET /stall', method: 'GET', path: '/stall' }) }),
      runOpenModel({ target: control.url, rate: 100, durationS: 10, next: () => ({ name: 'GET /stall', method: 'GET', path: '/stall' }) }),
    ]);
    expect(result.completed).toBe(1000);
    expect(result.errors.total).toBe(0);
    // The median request never meets a freeze: about 1 ms, or what the control measures if more.
    expect(result.latency.p50).toBeLessThanOrEqual(1.15 * Math.max(1, baseline.latency.p50));
    expect(result.latency.p90).toBeGreaterThanOrEqual(500 * 0.85);
    expect(result.latency.p90).toBeLessThanOrEqual(500 * 1.15);
    expect(result.latency.p99).toBeGreaterThanOrEqual(950 * 0.85);
    expect(result.latency.p99).toBeLessThanOrEqual(950 * 1.15);
    // The control is what a closed-model tool would wrongly report for the stalled server.
    expect(baseline.latency.p90).toBeLessThan(50);
  }, 30_000);

  it('measures a fixed 20 ms route at p50 within 10% of 20 ms', async () => {
    const served: number[] = [];
    const result = await runOpenModel({
      target: server.url,
      rate: 50,
      durationS: 4,
      next: () => ({ name: 'GET /fixed', method: 'GET', path: '/fixed' }),
      observe: (r) => served.push(Number(r.headers['x-service-ms'])),
    });
    expect(result.errors.total).toBe(0);
    // 20 ms, unless a busy machine made the server's own timer late: then its measured time.
    const truth = Math.max(20, served.sort((a, b) => a - b)[Math.floor(served.length / 2)]!);
    expect(result.latency.p50).toBeGreaterThanOrEqual(truth * 0.9);
    expect(result.latency.p50).toBeLessThanOrEqual(truth * 1.1);
  }, 30_000);

  it('refuses a non-loopback target before sending anything', async () => {
    await expect(
      runOpenModel({ target: 'http://example.com', rate: 1, durationS: 1, next: () => ({ name: 'x', method: 'GET', path: '/' }) }),
    ).rejects.toThrow(/loopback only/);
  });

  it('stops on abort and still returns what it measured', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    const result = await runOpenModel({
      target: server.url,
      rate: 100,
      durationS: 10,
      signal: ac.signal,
      next: () => ({ name: 'GET /fixed', method: 'GET', path: '/fixed' }),
    });
    expect(result.interrupted).toBe(true);
    expect(result.completed).toBeGreaterThan(20);
    expect(result.completed).toBeLessThan(200);
    expect(result.latency.count).toBe(result.completed);
  });
});
