import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { createLatencyHistogram, recordMs, summarize, type LatencyHistogram, type LatencySummary } from './histogram.js';
import { assertLoopback } from './loopback.js';

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

export interface OpenModelOptions {
  target: string;
  /** Requests per second, sent evenly spaced (the open model: the schedule never waits for replies). */
  rate: number;
  durationS: number;
  /** Hard cap on requests, whatever rate x duration says. */
  maxRequests?: number;
  /** Keep-alive connections in the pool; requests beyond them queue in the client and that wait counts. */
  connections?: number;
  /** Requests outstanding above this are not sent and are counted as `dropped` errors (never silently skipped). */
  maxInFlight?: number;
  timeoutMs?: number;
  next(index: number): RequestSpec;
  observe?(response: ObservedResponse): void;
  signal?: AbortSignal;
  onTick?(progress: { sent: number; completed: number; planned: number; errors: number }): void;
}

export interface RouteResult {
  latency: LatencySummary;
  requests: number;
  errors: number;
}

export interface OpenModelResult {
  model: 'open';
  offeredRate: number;
  achievedRate: number;
  planned: number;
  sent: number;
  completed: number;
  durationS: number;
  interrupted: boolean;
  /** Latency from each request's intended send time to its last body byte. */
  latency: LatencySummary;
  histogram: LatencyHistogram;
  errors: { total: number; rate: number; byKind: Record<string, number> };
  routes: Record<string, RouteResult>;
}

interface RouteAcc {
  h: LatencyHistogram;
  requests: number;
  errors: number;
}

/**
 * The open-model scheduler: request i is due at start + i/rate. Its latency is measured from
 * that intended moment, so a server stall shows up as the full time each scheduled request had
 * to wait (no coordinated omission), the same model as k6's arrival-rate executors.
 */
export async function runOpenModel(opts: OpenModelOptions): Promise<OpenModelResult> {
  const origin = assertLoopback(opts.target).origin;
  if (!(opts.rate > 0) || !(opts.durationS > 0)) throw new Error(`rate and duration must be positive (rate ${opts.rate}, duration ${opts.durationS}s)`);
  const planned = Math.min(Math.floor(opts.rate * opts.durationS), opts.maxRequests ?? Number.MAX_SAFE_INTEGER);
  const connections = opts.connections ?? 64;
  const maxInFlight = opts.maxInFlight ?? Math.max(1000, connections * 16);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const overall = createLatencyHistogram();
  const routes = new Map<string, RouteAcc>();
  const errors: Record<string, number> = {};
  let errorTotal = 0;
  let sent = 0;
  let completed = 0;
  let inFlight = 0;
  let lastCompletion = 0;
  const inflightDone: Array<Promise<void>> = [];
  const intervalMs = 1000 / opts.rate;

  const route = (name: string): RouteAcc => {
    let r = routes.get(name);
    if (!r) routes.set(name, (r = { h: createLatencyHistogram(), requests: 0, errors: 0 }));
    return r;
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
    try {
      const hasBody = spec.body !== undefined;
      const res = await pool.request({
        method: spec.method,
        path: spec.path,
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...spec.headers },
        body: hasBody ? JSON.stringify(spec.body) : null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      const done = performance.now();
      const latencyMs = done - intendedAt;
      lastCompletion = done;
      recordMs(overall, latencyMs);
      recordMs(acc.h, latencyMs);
      const ok = spec.expect ? spec.expect.includes(res.statusCode) : res.statusCode >= 200 && res.statusCode < 300;
      if (!ok) fail(acc, `http_${res.statusCode}`);
      opts.observe?.({ spec, status: res.statusCode, headers: res.headers, latencyMs });
    } catch (err) {
      lastCompletion = performance.now();
      const code = (err as { code?: string }).code ?? 'error';
      fail(acc, code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : code);
    } finally {
      inFlight--;
      completed++;
    }
  };

  const start = performance.now();
  let interrupted = false;
  let index = 0;
  let lastTick = 0;
  try {
    while (index < planned) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      const now = performance.now();
      // Fire everything that is due, even if the generator itself fell behind: each request
      // still carries its intended time, so our own lateness is charged as latency too.
      while (index < planned && start + index * intervalMs <= now) {
        const intendedAt = start + index * intervalMs;
        const spec = opts.next(index);
        index++;
        if (inFlight >= maxInFlight) {
          const acc = route(spec.name);
          acc.requests++;
          fail(acc, 'dropped');
          continue;
        }
        inflightDone.push(fire(spec, intendedAt));
      }
      if (opts.onTick && now - lastTick > 200) {
        lastTick = now;
        opts.onTick({ sent, completed, planned, errors: errorTotal });
      }
      if (index >= planned) break;
      // Timers fire late by up to a millisecond or so, and that lateness would be charged to the
      // server as latency: sleep until just before the due time, then yield with setImmediate
      // (which still lets responses be read) until it arrives.
      const wait = start + index * intervalMs - performance.now();
      if (wait > 2) await sleep(Math.floor(wait - 1.5));
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Wait for the stragglers; each is bounded by the request timeout.
    await Promise.allSettled(inflightDone);
  } finally {
    await pool.close().catch(() => {});
  }
  opts.onTick?.({ sent, completed, planned, errors: errorTotal });
  const end = Math.max(lastCompletion, start + index * intervalMs);
  const durationS = Math.max(0.001, (end - start) / 1000);
  const routeResults: Record<string, RouteResult> = {};
  for (const [name, acc] of routes) routeResults[name] = { latency: summarize(acc.h), requests: acc.requests, errors: acc.errors };
  const attempted = index;
  return {
    model: 'open',
    offeredRate: opts.rate,
    achievedRate: round(completed / durationS),
    planned,
    sent,
    completed,
    durationS: round(durationS),
    interrupted,
    latency: summarize(overall),
    histogram: overall,
    errors: { total: errorTotal, rate: attempted === 0 ? 0 : round(errorTotal / attempted, 5), byKind: errors },
    routes: routeResults,
  };
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
