import type { TSchema } from '@sinclair/typebox';

/**
 * The shape of one catalog entry. `services.ts` declares its entries `as const` and checks
 * them against this type with `satisfies`, so a typo in a field name fails to compile while
 * the literal slugs and endpoint names survive for the typed client.
 */
export interface HealthCadence {
  /** How often the probe loop calls `/health`. Fractions allowed (tests use 0.05). */
  intervalSeconds: number;
  /** No successful probe for this long: `degraded`. */
  degradedAfterSeconds: number;
  /** No successful probe for this long: `down`, and gated features answer 503. */
  downAfterSeconds: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EndpointDeclaration {
  name: string;
  method: HttpMethod;
  path: string;
  /** Only idempotent endpoints are retried: a retried non-idempotent call could act twice. */
  idempotent: boolean;
  timeoutMs: number;
  body: TSchema;
  response: TSchema;
}

export interface AiTaskDeclaration {
  id: string;
  shape: 'embedding' | 'extraction' | 'chat' | 'ocr';
  label: string;
  /** The endpoint that carries the task: its recent call latencies are the task's in the routing view. */
  endpoint: string;
  /** The user-facing feature the task powers: `GET /api/public/features` reports it up, degraded or down. */
  feature: string;
}

export interface ServiceDeclaration {
  slug: string;
  displayName: string;
  baseUrlEnvVar: string;
  tokenEnvVar: string;
  /**
   * The credential the service uses for its own AI gateway calls (a hosted model behind the
   * gateway), set in the service's environment, never the monolith's. Declared so operators
   * see which secret each service needs; the catalog checks only that it names a variable
   * other than `tokenEnvVar`.
   */
  aiTokenEnvVar?: string;
  health: HealthCadence;
  capabilities: { logs: { pull: boolean } };
  aiTasks: readonly AiTaskDeclaration[];
  endpoints: readonly EndpointDeclaration[];
}

export type ServiceDeclarations = readonly ServiceDeclaration[];
