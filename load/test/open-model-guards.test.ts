import { describe, expect, it } from 'vitest';
import { runOpenModel } from '../runner/open-model.js';
import { runSchedule } from '../runner/open-schedule.js';
import { fakeServer, VirtualClock } from './fixtures/virtual-clock.js';

describe('open-model runner guards', () => {
  it('refuses a non-loopback target before sending anything', async () => {
    await expect(runOpenModel({ target: 'http://example.com', rate: 1, durationS: 1, next: () => ({ name: 'x', method: 'GET', path: '/' }) })).rejects.toThrow(/loopback only/);
  });

  it('refuses a rate or duration that is not positive', async () => {
    const clock = new VirtualClock();
    const { send } = fakeServer(clock, (at) => at);
    await expect(runSchedule({ rate: 0, durationS: 1, maxInFlight: 1, timeoutMs: 1, maxLatenessMs: 1, clock, send, next: () => ({ name: 'x', method: 'GET', path: '/' }) })).rejects.toThrow(/must be positive/);
  });

  it('stops on abort, marks the result interrupted and keeps what it measured', async () => {
    const clock = new VirtualClock();
    const { send } = fakeServer(clock, (at) => at + 5);
    const ac = new AbortController();
    clock.setTimer(500, () => ac.abort());
    const result = await clock.run(runSchedule({ rate: 100, durationS: 10, maxInFlight: 1000, timeoutMs: 1000, maxLatenessMs: 10, clock, send, signal: ac.signal, next: () => ({ name: 'GET /', method: 'GET', path: '/' }) }));
    expect(result.interrupted).toBe(true);
    expect(result.completed).toBe(result.sent);
    expect(result.sent).toBeGreaterThanOrEqual(50);
    expect(result.sent).toBeLessThanOrEqual(52);
    expect(result.latency.count).toBe(result.completed);
  });
});
