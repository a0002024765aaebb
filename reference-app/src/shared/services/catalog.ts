import type { CircuitState } from './circuit-breaker.js';
import { defaultClientPolicy, ServiceConnection, type ClientPolicy, type EndpointLatency } from './client.js';
import type { HealthCadence, HttpMethod, ServiceDeclarations } from './declaration.js';
import { ServiceUnavailableError } from './errors.js';
import { HealthMonitor, type HealthSnapshot, type HealthState } from './health.js';
import type { BodyOf, EndpointNameOf, ResponseOf, SlugOf } from './types.js';
import { activeSlugs, validateCatalog, type Env } from './validate.js';
import type { Services } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's service catalog: app.ts decorates the root with it, the admin context shows it. */
    serviceCatalog: ServiceCatalog<Services>;
  }
}

/** The typed client for one service: endpoint names and body types come from the declaration. */
export interface ServiceClient<D extends ServiceDeclarations, S extends SlugOf<D>> {
  call<E extends EndpointNameOf<D, S>>(endpoint: E, body: BodyOf<D, S, E>): Promise<ResponseOf<D, S, E>>;
}

export interface ServiceOverview {
  slug: string;
  displayName: string;
  active: boolean;
  baseUrl: string | null;
  /** The cadence in force (the declared one unless overridden). */
  cadence: HealthCadence;
  /** The variable holding the service's own AI gateway credential (in the service's environment), if any. */
  aiTokenEnvVar: string | null;
  health: HealthSnapshot | null;
  circuit: CircuitState | null;
  capabilities: { logs: { pull: boolean } };
  aiTasks: ReadonlyArray<{ id: string; shape: string; label: string; endpoint: string; feature: string }>;
  endpoints: ReadonlyArray<{ name: string; method: HttpMethod; path: string; idempotent: boolean; timeoutMs: number }>;
  logs?: { lines: unknown } | { error: string };
}

/** One service's AI tasks with where they run, the service's health and each task's recent latency. */
export interface AiTaskRouting {
  slug: string;
  displayName: string;
  active: boolean;
  health: HealthState | 'inactive';
  circuit: CircuitState | null;
  aiTokenEnvVar: string | null;
  tasks: Array<{ id: string; shape: string; label: string; feature: string; endpoint: string; latency: EndpointLatency | null }>;
}

export type FeatureState = 'up' | 'degraded' | 'down';

/** A user-facing feature's availability as the catalog's health sees it (the API form of a status banner). */
export interface FeatureAvailability {
  feature: string;
  label: string;
  service: string;
  state: FeatureState;
  /** Why the state is what it is, in words a support person can repeat. */
  reason: string;
}

export interface ServiceCatalog<D extends ServiceDeclarations> {
  readonly declarations: D;
  isActive(slug: SlugOf<D>): boolean;
  client<S extends SlugOf<D>>(slug: S): ServiceClient<D, S>;
  healthState(slug: SlugOf<D>): HealthState | 'inactive';
  /** Throws ServiceUnavailableError when the service is down or its circuit is open: the gate. */
  assertAvailable(slug: SlugOf<D>): void;
  /** Every declared service with its health history and, where it can pull them, recent logs. */
  overview(options?: { logs?: boolean; logLimit?: number }): Promise<ServiceOverview[]>;
  /** aiTasks grouped by service, with health and recent per-task latency (the admin routing view). */
  aiTaskRouting(): AiTaskRouting[];
  /** Every feature an aiTask powers: up, degraded or down from its service's health and circuit. */
  features(): FeatureAvailability[];
  /** Starts the health probe loops of the active services. */
  start(): void;
  stop(): Promise<void>;
}

export interface CatalogOptions<D extends ServiceDeclarations> {
  env: Env;
  /** Services the current configuration needs; these must be fully configured or the app will not start. */
  required?: ReadonlyArray<SlugOf<D>>;
  policy?: Partial<ClientPolicy>;
  historySize?: number;
  /** Replaces declared cadences, e.g. sub-second probes in tests and outage drills. */
  health?: Partial<Record<SlugOf<D>, HealthCadence>>;
}

/**
 * Builds the catalog from a declaration and the environment. Validation runs here, so a
 * missing variable, a malformed URL or a duplicate endpoint name throws CatalogConfigError
 * before the server listens.
 */
export function createServiceCatalog<D extends ServiceDeclarations>(
  declarations: D,
  options: CatalogOptions<D>,
): ServiceCatalog<D> {
  const health = (options.health ?? {}) as Partial<Record<string, HealthCadence>>;
  declarations = declarations.map((d) => (health[d.slug] ? { ...d, health: health[d.slug] } : d)) as unknown as D;
  const active = activeSlugs(declarations, options.env, options.required ?? []);
  const resolved = validateCatalog(declarations, options.env, active);
  const policy = { ...defaultClientPolicy, ...options.policy };
  const connections = new Map<string, ServiceConnection>();
  const monitors = new Map<string, HealthMonitor>();
  for (const d of declarations) {
    const r = resolved.get(d.slug);
    if (!r) continue;
    const connection = new ServiceConnection(d, r, policy);
    connections.set(d.slug, connection);
    const monitorOptions = options.historySize === undefined ? {} : { historySize: options.historySize };
    monitors.set(d.slug, new HealthMonitor(d.health, (timeoutMs) => connection.probe(timeoutMs), monitorOptions));
  }

  const connectionOf = (slug: string): ServiceConnection => {
    const c = connections.get(slug);
    if (!c) {
      throw new Error(
        `service "${slug}" is not active in this configuration; set its base URL and token variables or require it`,
      );
    }
    return c;
  };

  return {
    declarations,
    isActive: (slug) => connections.has(slug),
    client<S extends SlugOf<D>>(slug: S): ServiceClient<D, S> {
      const connection = connectionOf(slug);
      return {
        call: async (endpoint, body) => (await connection.call(endpoint, body)) as never,
      };
    },
    healthState: (slug) => monitors.get(slug)?.state ?? 'inactive',
    assertAvailable(slug) {
      const connection = connectionOf(slug);
      const monitor = monitors.get(slug)!;
      if (monitor.state === 'down') {
        throw new ServiceUnavailableError(
          slug,
          'down',
          monitor.retryAfterSeconds,
          `no successful health probe for ${connection.declaration.health.downAfterSeconds} s`,
        );
      }
      if (connection.breaker.state === 'open') {
        throw new ServiceUnavailableError(
          slug,
          'circuit-open',
          Math.max(1, Math.ceil(connection.breaker.retryAfterMs() / 1000)),
          'recent calls failed; the circuit breaker is open',
        );
      }
    },
    async overview({ logs = true, logLimit = 50 } = {}) {
      return Promise.all(
        declarations.map(async (d): Promise<ServiceOverview> => {
          const connection = connections.get(d.slug);
          const base: ServiceOverview = {
            slug: d.slug,
            displayName: d.displayName,
            active: connection !== undefined,
            baseUrl: connection ? connection.baseUrl.toString() : null,
            cadence: d.health,
            aiTokenEnvVar: d.aiTokenEnvVar ?? null,
            health: monitors.get(d.slug)?.snapshot() ?? null,
            circuit: connection ? connection.breaker.state : null,
            capabilities: d.capabilities,
            aiTasks: d.aiTasks,
            endpoints: d.endpoints.map(({ name, method, path, idempotent, timeoutMs }) => ({
              name,
              method,
              path,
              idempotent,
              timeoutMs,
            })),
          };
          if (!logs || !connection || !d.capabilities.logs.pull) return base;
          try {
            return { ...base, logs: { lines: await connection.pullLogs(logLimit, 2_000) } };
          } catch (err) {
            return { ...base, logs: { error: err instanceof Error ? err.message : String(err) } };
          }
        }),
      );
    },
    aiTaskRouting() {
      return declarations.map((d) => {
        const connection = connections.get(d.slug);
        return {
          slug: d.slug,
          displayName: d.displayName,
          active: connection !== undefined,
          health: monitors.get(d.slug)?.state ?? 'inactive',
          circuit: connection ? connection.breaker.state : null,
          aiTokenEnvVar: d.aiTokenEnvVar ?? null,
          tasks: d.aiTasks.map((t) => ({ ...t, latency: connection ? connection.recentLatency(t.endpoint) : null })),
        };
      });
    },
    features() {
      return declarations.flatMap((d) =>
        d.aiTasks.map((t): FeatureAvailability => {
          const connection = connections.get(d.slug);
          const base = { feature: t.feature, label: t.label, service: d.slug };
          // An inactive service is one no feature of this configuration needs: the work runs in-process.
          if (!connection) return { ...base, state: 'up', reason: `runs in the app process; the ${d.slug} service is not used` };
          const health = monitors.get(d.slug)!.state;
          if (health === 'down') {
            return { ...base, state: 'down', reason: `no successful health probe for ${d.health.downAfterSeconds} s` };
          }
          if (connection.breaker.state === 'open') return { ...base, state: 'down', reason: 'recent calls failed; circuit open' };
          if (health === 'degraded') {
            return { ...base, state: 'degraded', reason: `no successful health probe for ${d.health.degradedAfterSeconds} s` };
          }
          if (health === 'unknown') return { ...base, state: 'degraded', reason: 'not probed successfully yet' };
          if (connection.breaker.state === 'half-open') return { ...base, state: 'degraded', reason: 'recovering: trial call in flight' };
          return { ...base, state: 'up', reason: 'health probes succeed' };
        }),
      );
    },
    start() {
      for (const m of monitors.values()) m.start();
    },
    async stop() {
      await Promise.all([...monitors.values()].map((m) => m.stop()));
      await Promise.all([...connections.values()].map((c) => c.close()));
    },
  };
}
