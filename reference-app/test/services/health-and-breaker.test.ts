import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/shared/services/circuit-breaker.js';
import { HealthMonitor } from '../../src/shared/services/health.js';

/** A hand-moved clock: the thresholds are checked exactly, with no sleeping. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const cadence = { intervalSeconds: 5, degradedAfterSeconds: 10, downAfterSeconds: 15 };

describe('health classification by the declared thresholds', () => {
  it('is unknown before any answer, up after a success, degraded and down by time since the last success', async () => {
    const t = clock();
    let healthy = true;
    const monitor = new HealthMonitor(cadence, async () => {
      if (!healthy) throw new Error('connect ECONNREFUSED');
    }, { now: t.now });
    expect(monitor.state).toBe('unknown');
    await monitor.probeOnce();
    expect(monitor.state).toBe('up');

    healthy = false;
    t.advance(5_000);
    await monitor.probeOnce();
    expect(monitor.state).toBe('up'); // one failed probe, 5 s of silence: still within the declared 10 s
    t.advance(4_999);
    expect(monitor.state).toBe('up');
    t.advance(1);
    expect(monitor.state).toBe('degraded'); // exactly degradedAfterSeconds
    t.advance(4_999);
    expect(monitor.state).toBe('degraded');
    t.advance(1);
    expect(monitor.state).toBe('down'); // exactly downAfterSeconds, even between probes

    healthy = true;
    await monitor.probeOnce();
    expect(monitor.state).toBe('up');
    expect(monitor.snapshot().transitions.map((x) => x.to)).toEqual(['up', 'degraded', 'down', 'up']);
  });

  it('a service that never answered goes down by the same thresholds, counted from start', async () => {
    const t = clock();
    const monitor = new HealthMonitor(cadence, async () => Promise.reject(new Error('no')), { now: t.now });
    await monitor.probeOnce();
    expect(monitor.state).toBe('unknown');
    t.advance(15_000);
    expect(monitor.state).toBe('down');
  });

  it('keeps a bounded probe history, newest last', async () => {
    const t = clock();
    let n = 0;
    const monitor = new HealthMonitor(cadence, async () => {
      n += 1;
      if (n % 2 === 0) throw new Error(`failure ${n}`);
    }, { now: t.now, historySize: 5 });
    for (let i = 0; i < 12; i += 1) {
      await monitor.probeOnce();
      t.advance(1_000);
    }
    const { history } = monitor.snapshot();
    expect(history).toHaveLength(5);
    expect(history.at(-1)).toMatchObject({ ok: false, error: 'failure 12' });
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, lets one trial through after the cooldown, and re-opens if it fails', () => {
    const t = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now: t.now });
    for (let i = 0; i < 2; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('closed');
    breaker.tryAcquire();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(1_000);

    t.advance(1_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // only one trial at a time
    breaker.recordFailure();
    expect(breaker.state).toBe('open');

    t.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a 4xx (neutral) neither opens the circuit nor blocks the next trial', () => {
    const t = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000, now: t.now });
    breaker.tryAcquire();
    breaker.recordFailure();
    t.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordNeutral();
    expect(breaker.tryAcquire()).toBe(true);
  });
});
