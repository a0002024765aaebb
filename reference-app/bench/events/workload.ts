import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import type pg from 'pg';
import type { EventSystem } from './system.js';

export interface ThroughputResult {
  events: number;
  persistedPerSecond: number;
  handledPerSecond: number;
}

async function inTx(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<void>): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await work(tx);
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}

function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 2);
    };
    tick();
  });
}

/**
 * Closed-loop throughput: `producers` loops publish `events` in transactions of `txSize`
 * as fast as they can, while the system's consumers handle them. Persisted/s ends when the
 * last transaction committed; handled/s when the last handler ran.
 */
export async function measureThroughput(
  system: EventSystem,
  producerPool: pg.Pool,
  opts: { events: number; txSize: number; producers: number; run: string },
): Promise<ThroughputResult> {
  let handled = 0;
  await system.startConsumers(opts.run, () => handled++);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.producers }, async () => {
      for (;;) {
        const from = next;
        if (from >= opts.events) return;
        next = Math.min(opts.events, from + opts.txSize);
        const seqs = Array.from({ length: next - from }, (_, i) => from + i);
        await inTx(producerPool, (tx) => system.publish(tx, seqs));
        system.afterCommit();
      }
    }),
  );
  const persistedAt = performance.now();
  await waitUntil(() => handled >= opts.events, 300_000, `${system.name} to handle ${opts.events} events`);
  const handledAt = performance.now();
  await system.stopConsumers();
  const effects = await system.effects();
  if (effects !== opts.events) throw new Error(`${system.name}: ${effects} effects for ${opts.events} events`);
  return {
    events: opts.events,
    persistedPerSecond: opts.events / ((persistedAt - started) / 1000),
    handledPerSecond: opts.events / ((handledAt - started) / 1000),
  };
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface LatencyResult {
  offeredPerSecond: number;
  achievedPerSecond: number;
  events: number;
  /** From the moment the publishing transaction sent COMMIT to the moment the handler ran. */
  fromCommit: Percentiles;
  /** From the moment the event was due (includes any backlog of the publisher itself). */
  fromDue: Percentiles;
}

/**
 * Open-model latency: one event per transaction, sent on a fixed schedule (`rate` per
 * second for `seconds`) whether or not earlier ones finished. Two clocks: from COMMIT to the
 * handler (what the delivery path costs), and from the moment the event was DUE (so a
 * publisher that falls behind shows up as latency instead of hiding it: no coordinated
 * omission).
 */
export async function measureLatency(
  system: EventSystem,
  producerPool: pg.Pool,
  opts: { rate: number; seconds: number; run: string },
): Promise<LatencyResult> {
  const total = Math.round(opts.rate * opts.seconds);
  const due = new Float64Array(total);
  const committing = new Float64Array(total);
  const build = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  const sinceDue = build();
  const sinceCommit = build();
  let handled = 0;
  await system.startConsumers(opts.run, (seq) => {
    const now = performance.now();
    sinceDue.recordValue(Math.max(1, Math.round((now - due[seq]!) * 1000)));
    sinceCommit.recordValue(Math.max(1, Math.round((now - committing[seq]!) * 1000)));
    handled++;
  });
  const started = performance.now() + 20;
  for (let i = 0; i < total; i++) due[i] = started + (i * 1000) / opts.rate;
  const inflight = new Set<Promise<void>>();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && due[sent]! <= now) {
      const seq = sent++;
      const p: Promise<void> = inTx(producerPool, async (tx) => {
        await system.publish(tx, [seq]);
        committing[seq] = performance.now();
      })
        .then(() => system.afterCommit())
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  const sentAt = performance.now();
  await waitUntil(() => handled >= total, 120_000, `${system.name} to handle ${total} paced events`);
  await system.stopConsumers();
  const ms = (us: number) => Math.round(us) / 1000;
  const percentiles = (h: hdr.Histogram): Percentiles => ({
    p50: ms(h.getValueAtPercentile(50)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  });
  const result = {
    offeredPerSecond: opts.rate,
    achievedPerSecond: total / ((sentAt - started) / 1000),
    events: total,
    fromCommit: percentiles(sinceCommit),
    fromDue: percentiles(sinceDue),
  };
  sinceDue.destroy();
  sinceCommit.destroy();
  return result;
}
