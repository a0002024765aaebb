import { context, propagation } from '@opentelemetry/api';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { Pool } from 'undici';
import { CircuitBreaker } from './circuit-breaker.js';
import type { EndpointDeclaration, ServiceDeclaration } from './declaration.js';
import { ServiceContractError, ServiceRejectedError, ServiceUnavailableError, type UnavailableReason } from './errors.js';
import type { ResolvedService } from './validate.js';

export interface ClientPolicy {
  /** Extra attempts for idempotent endpoints (non-idempotent ones are never retried). */
  retries: number;
  /** First back-off; doubles per attempt, with jitter. */
  retryBaseDelayMs: number;
  breakerFailureThreshold: number;
  breakerCooldownMs: number;
  /** Upper bound on sockets kept open to one service. */
  connections: number;
}

export const defaultClientPolicy: ClientPolicy = {
  retries: 2,
  retryBaseDelayMs: 50,
  breakerFailureThreshold: 5,
  breakerCooldownMs: 5_000,
  connections: 16,
};

interface CompiledEndpoint {
  declaration: EndpointDeclaration;
  body: TypeCheck<TSchema>;
  response: TypeCheck<TSchema>;
}

type Attempt =
  | { ok: true; value: unknown }
  | { ok: false; retryable: boolean; error: Error };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function problemsOf(check: TypeCheck<TSchema>, value: unknown): string[] {
  return [...check.Errors(value)].slice(0, 5).map((e) => `${e.path || '/'} ${e.message}`);
}

/**
 * The untyped engine behind `catalog.client(slug)`: one keep-alive connection pool, one circuit
 * breaker and the declared per-endpoint timeouts for one service. The typed facade in
 * catalog.ts narrows `call` to the declared endpoint names and body types.
 */
/** Call latencies kept per endpoint for the AI task routing view. */
const LATENCY_SAMPLES = 100;

export interface EndpointLatency {
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  lastAt: string | null;
}

export class ServiceConnection {
  readonly breaker: CircuitBreaker;
  private readonly latencies = new Map<string, { ms: number[]; lastAt: number }>();
  private readonly pool: Pool;
  private readonly endpoints = new Map<string, CompiledEndpoint>();
  private readonly basePath: string;

  constructor(
    readonly declaration: ServiceDeclaration,
    private readonly resolved: ResolvedService,
    private readonly policy: ClientPolicy,
  ) {
    this.pool = new Pool(resolved.baseUrl.origin, { connections: policy.connections });
    this.basePath = resolved.baseUrl.pathname.replace(/\/+$/, '');
    this.breaker = new CircuitBreaker({
      failureThreshold: policy.breakerFailureThreshold,
      cooldownMs: policy.breakerCooldownMs,
    });
    for (const e of declaration.endpoints) {
      this.endpoints.set(e.name, { declaration: e, body: TypeCompiler.Compile(e.body), response: TypeCompiler.Compile(e.response) });
    }
  }

  get baseUrl(): URL {
    return this.resolved.baseUrl;
  }

  async call(endpointName: string, body: unknown): Promise<unknown> {
    const endpoint = this.endpoints.get(endpointName);
    if (!endpoint) throw new Error(`service "${this.declaration.slug}" declares no endpoint "${endpointName}"`);
    if (!endpoint.body.Check(body)) {
      throw new ServiceContractError(this.declaration.slug, endpointName, 'request', problemsOf(endpoint.body, body));
    }
    const attempts = endpoint.declaration.idempotent ? 1 + this.policy.retries : 1;
    let last: Error | undefined;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) {
        const backoff = this.policy.retryBaseDelayMs * 2 ** (attempt - 1);
        await sleep(backoff / 2 + Math.random() * (backoff / 2));
      }
      if (!this.breaker.tryAcquire()) {
        throw new ServiceUnavailableError(
          this.declaration.slug,
          'circuit-open',
          Math.max(1, Math.ceil(this.breaker.retryAfterMs() / 1000)),
          last ? `circuit open after repeated failures; last: ${last.message}` : 'circuit open after repeated failures',
        );
      }
      const started = performance.now();
      const outcome = await this.attempt(endpoint, body);
      if (outcome.ok) {
        this.recordLatency(endpointName, performance.now() - started);
        return outcome.value;
      }
      last = outcome.error;
      if (!outcome.retryable) throw outcome.error;
    }
    throw last ?? new Error('unreachable');
  }

  private recordLatency(endpoint: string, ms: number): void {
    const entry = this.latencies.get(endpoint) ?? { ms: [], lastAt: 0 };
    entry.ms.push(ms);
    if (entry.ms.length > LATENCY_SAMPLES) entry.ms.shift();
    entry.lastAt = Date.now();
    this.latencies.set(endpoint, entry);
  }

  /** The last 100 successful calls' latency of one endpoint (nearest-rank percentiles). */
  recentLatency(endpoint: string): EndpointLatency {
    const entry = this.latencies.get(endpoint);
    if (!entry || entry.ms.length === 0) return { samples: 0, p50Ms: null, p99Ms: null, lastAt: null };
    const sorted = [...entry.ms].sort((a, b) => a - b);
    const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 10) / 10;
    return { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), lastAt: new Date(entry.lastAt).toISOString() };
  }

  private unavailable(reason: UnavailableReason, detail: string): ServiceUnavailableError {
    return new ServiceUnavailableError(
      this.declaration.slug,
      reason,
      Math.max(1, Math.ceil(this.declaration.health.intervalSeconds)),
      detail,
    );
  }

  private headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.resolved.token}`, accept: 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    // Continues the caller's trace in the service: a no-op until an OpenTelemetry SDK registers a propagator.
    propagation.inject(context.active(), headers);
    return headers;
  }

  private async attempt(endpoint: CompiledEndpoint, body: unknown): Promise<Attempt> {
    const { declaration: e } = endpoint;
    const slug = this.declaration.slug;
    let status: number;
    let payload: unknown;
    try {
      const res = await this.pool.request({
        path: this.basePath + e.path,
        method: e.method,
        headers: this.headers(e.method !== 'GET'),
        body: e.method === 'GET' ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(e.timeoutMs),
      });
      status = res.statusCode;
      const text = await res.body.text();
      payload = text === '' ? undefined : JSON.parse(text);
    } catch (err) {
      this.breaker.recordFailure();
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const error = timedOut
        ? this.unavailable('timeout', `${e.name} took longer than ${e.timeoutMs} ms`)
        : this.unavailable('unreachable', `${e.name}: ${err instanceof Error ? err.message : String(err)}`);
      return { ok: false, retryable: true, error };
    }
    if (status >= 500) {
      this.breaker.recordFailure();
      return { ok: false, retryable: true, error: this.unavailable('server-error', `${e.name} answered ${status}`) };
    }
    if (status >= 400) {
      this.breaker.recordNeutral();
      return { ok: false, retryable: false, error: new ServiceRejectedError(slug, e.name, status, payload) };
    }
    this.breaker.recordSuccess();
    if (!endpoint.response.Check(payload)) {
      const problems = problemsOf(endpoint.response, payload);
      return { ok: false, retryable: false, error: new ServiceContractError(slug, e.name, 'response', problems) };
    }
    return { ok: true, value: payload };
  }

  /** GET `/health` for the probe loop: its own short timeout, and it leaves the breaker alone. */
  async probe(timeoutMs: number): Promise<void> {
    const res = await this.pool.request({
      path: `${this.basePath}/health`,
      method: 'GET',
      headers: this.headers(false),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`/health answered ${res.statusCode}`);
  }

  /** Recent log lines, for services declaring `capabilities.logs.pull`. */
  async pullLogs(limit: number, timeoutMs: number): Promise<unknown> {
    const res = await this.pool.request({
      path: `${this.basePath}/logs?limit=${limit}`,
      method: 'GET',
      headers: this.headers(false),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`/logs answered ${res.statusCode}`);
    return JSON.parse(text) as unknown;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
