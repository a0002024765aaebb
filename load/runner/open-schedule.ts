import { createLatencyHistogram, recordMs, summarize, type LatencyHistogram, type LatencySummary } from './histogram.js';

/**
 * The open-model schedule without its I/O: what time it is, how to wait and how to send are
 * injected, so the same code runs against a real server (open-model.ts) and, in the tests,
 * against a simulated server on a virtual clock, where ground truth is exact.
 */

/** One request the scenario wants sent at a scheduled moment. */
export interface RequestSpec {
  /** Route name for per-route figures, e.g. `GET /api/public/listings/:id` (never the concrete id). */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Statuses that count as success; default 2xx. */
  expect?: readonly number[];
}

export interface ObservedResponse {
  spec: RequestSpec;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  latencyMs: number;
}

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends one request and resolves once its body was read; rejects on a transport error or when `signal` aborts. */
export type Send = (spec: RequestSpec, signal: AbortSignal) => Promise<Answer>;

export interface ScheduleOptions {
  /** Requests per second, evenly spaced: the schedule never waits for replies. */
  rate: number;
  durationS: number;
  /** Hard cap on requests, whatever rate x duration says. */
  maxRequests?: number;
  /** Requests outstanding above this are not sent and count as `dropped` (never silently skipped). */
  maxInFlight: number;
  /** A request not answered by then is given up (`timeout`). */
  timeoutMs: number;
  /**
   * A step whose schedule ran later than this at p99 says the generator fell behind: its
   * latencies are then partly the generator's, and the step is no verdict on the app.
   */
  maxLatenessMs: number;
  /** CPU time of the generator process in microseconds (process.cpuUsage); absent: not measured. */
  cpuMicros?: () => number;
  next(index: number): RequestSpec;
  observe?(response: ObservedResponse): void;
  signal?: AbortSignal;
  onTick?(progress: { sent: number; completed: number; planned: number; errors: number }): void;
  clock: Clock;
  send: Send;
}

export interface RouteResult {
  latency: LatencySummary;
  requests: number;
  errors: number;
}

/** How far the generator itself was from its own schedule, and what it cost. */
export interface GeneratorReport {
  /** Send time minus intended time, over every request sent, ms. */
  lateP50Ms: number;
  lateP99Ms: number;
  lateMaxMs: number;
  /** Generator process CPU time over the step's wall time (1 = one whole core); null when not measured. */
  cpuShare: number | null;
  /** True when lateness p99 exceeded the bound or the generator used a whole core: figures are not a verdict on the app. */
  behind: boolean;
  reason: string | null;
}

export interface ScheduleResult {
  model: 'open';
  offeredRate: number;
  /** Requests answered with an expected status per second. */
  achievedRate: number;
  /** Requests the schedule called for (offered). */
  planned: number;
  /** Requests put on the wire. */
  sent: number;
  /** Requests sent and finished (answered, failed or given up). */
  completed: number;
  /** Answered with an expected status. */
  achieved: number;
  /** Scheduled but never sent: more than maxInFlight were outstanding. */
  dropped: number;
  /** Sent and given up after timeoutMs. */
  timeouts: number;
  durationS: number;
  interrupted: boolean;
  /**
   * Latency of every scheduled request from its intended send time: answered ones to their
   * last byte; timed-out, refused, failed and dropped ones counted as not answered within the
   * timeout (at their give-up time, never less than timeoutMs). Never from successes alone.
   */
  latency: LatencySummary;
  histogram: LatencyHistogram;
  errors: { total: number; rate: number; byKind: Record<string, number> };
  routes: Record<string, RouteResult>;
  generator: GeneratorReport;
}

interface RouteAcc {
  h: LatencyHistogram;
  requests: number;
  errors: number;
}

const TIMEOUT = Symbol('timeout');

/**
 * Request i is due at start + i/rate, and its latency runs from that intended moment, so a
 * stall shows up as the full wait of every request scheduled into it (no coordinated
 * omission). The loop sleeps on a timer until the next request is due and then sends all that
 * are due; the timer's lateness is measured per request and charged as latency, never hidden.
 */
export async function runSchedule(opts: ScheduleOptions): Promise<ScheduleResult> {
  if (!(opts.rate > 0) || !(opts.durationS > 0)) throw new Error(`rate and duration must be positive (rate ${opts.rate}, duration ${opts.durationS}s)`);
  const { clock, send, timeoutMs } = opts;
  const planned = Math.min(Math.floor(opts.rate * opts.durationS), opts.maxRequests ?? Number.MAX_SAFE_INTEGER);
  const overall = createLatencyHistogram();
  const lateness = createLatencyHistogram();
  const routes = new Map<string, RouteAcc>();
  const errors: Record<string, number> = {};
  let errorTotal = 0;
  let sent = 0;
  let completed = 0;
  let achieved = 0;
  let dropped = 0;
  let timeouts = 0;
  let inFlight = 0;
  let lastCompletion = 0;
  const pending = new Set<Promise<void>>();
  const intervalMs = 1000 / opts.rate;

  const route = (name: string): RouteAcc => {
    let r = routes.get(name);
    if (!r) routes.set(name, (r = { h: createLatencyHistogram(), requests: 0, errors: 0 }));
    return r;
  };
  const record = (acc: RouteAcc, ms: number) => {
    recordMs(overall, ms);
    recordMs(acc.h, ms);
  };
  const fail = (acc: RouteAcc, kind: string) => {
    errors[kind] = (errors[kind] ?? 0) + 1;
    errorTotal++;
    acc.errors++;
  };

  const fire = async (spec: RequestSpec, intendedAt: number): Promise<void> => {
    const acc = route(spec.name);
    acc.requests++;
    inFlight++;
    sent++;
    const ac = new AbortController();
    let cancelTimer = () => {};
    let gaveUp = false;
    const timedOut = new Promise<typeof TIMEOUT>((resolve) => {
      cancelTimer = clock.setTimer(timeoutMs, () => {
        gaveUp = true;
        resolve(TIMEOUT);
        ac.abort();
      });
    });
    try {
      const outcome = await Promise.race([send(spec, ac.signal), timedOut]);
      const done = clock.now();
      lastCompletion = done;
      if (outcome === TIMEOUT || gaveUp) {
        timeouts++;
        record(acc, Math.max(timeoutMs, done - intendedAt));
        fail(acc, 'timeout');
        return;
      }
      const latencyMs = done - intendedAt;
      record(acc, latencyMs);
      const ok = spec.expect ? spec.expect.includes(outcome.status) : outcome.status >= 200 && outcome.status < 300;
      if (ok) achieved++;
      else fail(acc, `http_${outcome.status}`);
      opts.observe?.({ spec, status: outcome.status, headers: outcome.headers, latencyMs });
    } catch (err) {
      const done = clock.now();
      lastCompletion = done;
      if (gaveUp) {
        timeouts++;
        record(acc, Math.max(timeoutMs, done - intendedAt));
        fail(acc, 'timeout');
        return;
      }
      // Refused or reset: never answered, so it counts as waiting at least the timeout.
      record(acc, Math.max(timeoutMs, done - intendedAt));
      fail(acc, (err as { code?: string }).code ?? 'error');
    } finally {
      cancelTimer();
      inFlight--;
      completed++;
    }
  };

  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimer(ms, resolve));
  const cpuStart = opts.cpuMicros?.();
  const start = clock.now();
  let interrupted = false;
  let index = 0;
  let lastTick = 0;
  while (index < planned) {
    if (opts.signal?.aborted) {
      interrupted = true;
      break;
    }
    const now = clock.now();
    // Everything due is sent now; each request keeps its intended time, so the generator's
    // own lateness is charged as latency and reported beside it.
    while (index < planned && start + index * intervalMs <= now) {
      const intendedAt = start + index * intervalMs;
      const spec = opts.next(index);
      index++;
      recordMs(lateness, now - intendedAt);
      if (inFlight >= opts.maxInFlight) {
        // Not sent: the app holds maxInFlight requests already. Counted as not answered.
        const acc = route(spec.name);
        acc.requests++;
        dropped++;
        record(acc, timeoutMs);
        fail(acc, 'dropped');
        continue;
      }
      const p = fire(spec, intendedAt);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    if (opts.onTick && now - lastTick > 200) {
      lastTick = now;
      opts.onTick({ sent, completed, planned, errors: errorTotal });
    }
    if (index >= planned) break;
    await sleep(Math.max(0, start + index * intervalMs - clock.now()));
  }
  const scheduleEnd = clock.now();
  const cpuEnd = opts.cpuMicros?.();
  // Stragglers are bounded by the timeout.
  await Promise.allSettled([...pending]);
  opts.onTick?.({ sent, completed, planned, errors: errorTotal });

  const end = Math.max(lastCompletion, start + index * intervalMs);
  const durationS = Math.max(0.001, (end - start) / 1000);
  const routeResults: Record<string, RouteResult> = {};
  for (const [name, acc] of routes) routeResults[name] = { latency: summarize(acc.h), requests: acc.requests, errors: acc.errors };
  const attempted = index;
  const late = summarize(lateness);
  const scheduleS = Math.max(0.001, (scheduleEnd - start) / 1000);
  const cpuShare = cpuStart !== undefined && cpuEnd !== undefined ? round((cpuEnd - cpuStart) / 1000 / (scheduleS * 1000), 3) : null;
  const reasons: string[] = [];
  if (late.p99 > opts.maxLatenessMs) reasons.push(`schedule lateness p99 ${late.p99} ms > ${opts.maxLatenessMs} ms`);
  if (cpuShare !== null && cpuShare >= 0.9) reasons.push(`generator used ${cpuShare} of a core`);
  return {
    model: 'open',
    offeredRate: opts.rate,
    achievedRate: round(achieved / durationS),
    planned,
    sent,
    completed,
    achieved,
    dropped,
    timeouts,
    durationS: round(durationS),
    interrupted,
    latency: summarize(overall),
    histogram: overall,
    errors: { total: errorTotal, rate: attempted === 0 ? 0 : round(errorTotal / attempted, 5), byKind: errors },
    routes: routeResults,
    generator: { lateP50Ms: late.p50, lateP99Ms: late.p99, lateMaxMs: late.max, cpuShare, behind: reasons.length > 0, reason: reasons.length ? reasons.join('; ') : null },
  };
}

export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
