import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { assertLoopback } from './loopback.js';
import { runSchedule, type Clock, type ObservedResponse, type RequestSpec, type RouteResult, type ScheduleResult, type Send } from './open-schedule.js';

export type { ObservedResponse, RequestSpec, RouteResult };
export type OpenModelResult = ScheduleResult;

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
  /** Schedule lateness p99 above which the step says the generator fell behind (default 10 ms). */
  maxLatenessMs?: number;
  next(index: number): RequestSpec;
  observe?(response: ObservedResponse): void;
  signal?: AbortSignal;
  onTick?(progress: { sent: number; completed: number; planned: number; errors: number }): void;
}

/** The real clock: performance.now and timers (which the schedule measures the lateness of). */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** CPU time of this process (user + system), microseconds. */
export const processCpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * The open-model runner against a loopback HTTP target: the schedule of open-schedule.ts
 * with undici keep-alive connections as the transport. The request timeout is the schedule's
 * own (it aborts the request), so a timed-out request is recorded, not lost.
 */
export async function runOpenModel(opts: OpenModelOptions): Promise<OpenModelResult> {
  const origin = assertLoopback(opts.target).origin;
  const connections = opts.connections ?? 64;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: timeoutMs * 2, bodyTimeout: timeoutMs * 2 });
  const send: Send = async (spec, signal) => {
    const hasBody = spec.body !== undefined;
    const res = await pool.request({
      method: spec.method,
      path: spec.path,
      headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...spec.headers },
      body: hasBody ? JSON.stringify(spec.body) : null,
      signal,
    });
    await res.body.dump();
    return { status: res.statusCode, headers: res.headers };
  };
  try {
    return await runSchedule({
      rate: opts.rate,
      durationS: opts.durationS,
      ...(opts.maxRequests !== undefined ? { maxRequests: opts.maxRequests } : {}),
      maxInFlight: opts.maxInFlight ?? Math.max(1000, connections * 16),
      timeoutMs,
      maxLatenessMs: opts.maxLatenessMs ?? 10,
      cpuMicros: processCpuMicros,
      next: opts.next,
      ...(opts.observe ? { observe: opts.observe } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onTick ? { onTick: opts.onTick } : {}),
      clock: realClock,
      send,
    });
  } finally {
    await pool.close().catch(() => {});
  }
}
