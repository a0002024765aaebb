import autocannon from 'autocannon';
import { assertLoopback } from './loopback.js';
import type { RequestSpec } from './open-model.js';

export interface ClosedModelResult {
  model: 'closed';
  connections: number;
  durationS: number;
  requests: number;
  ok: number;
  byStatus: Record<string, number>;
  errors: number;
  timeouts: number;
  /** autocannon's own percentiles: closed-model latency, blind to coordinated omission. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/**
 * A closed-model throughput run with autocannon: N connections each send their next request
 * as soon as the previous answered. Right for "how many writes per second can this row take",
 * wrong for latency at a rate (see the open-model runner), so it is only used for ceilings.
 */
export async function runClosedModel(opts: { target: string; connections: number; durationS: number; next(n: number): RequestSpec; okStatuses?: readonly number[] }): Promise<ClosedModelResult> {
  const url = assertLoopback(opts.target).origin;
  let n = 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.durationS,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const spec = opts.next(n++);
          return {
            ...req,
            method: spec.method,
            path: spec.path,
            headers: { ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}), ...spec.headers },
            ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
          };
        },
      },
    ],
  });
  const byStatus: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) byStatus[code] = stat.count ?? 0;
  const okSet = opts.okStatuses ?? [200, 201, 204];
  const ok = Object.entries(byStatus).reduce((s, [code, c]) => s + (okSet.includes(Number(code)) ? c : 0), 0);
  return {
    model: 'closed',
    connections: opts.connections,
    durationS: result.duration,
    requests: Object.values(byStatus).reduce((a, b) => a + b, 0),
    ok,
    byStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
  };
}
