import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { Pool } from './db/pool.js';
import type { EventBus } from './events/event-bus.js';

/** The four auth contexts. Each is its own Fastify scope under its own URL prefix. */
export type AuthContextName = 'consumer' | 'seller' | 'admin' | 'public';

/**
 * What every route declares in `config.auth`. The app refuses to boot when a route
 * declares none, declares a context other than the scope it is registered in, or
 * sits outside that context's prefix.
 */
export interface RouteAuth {
  context: AuthContextName;
  /** The permission the caller needs, e.g. 'listings:write'. Public routes use 'public'. */
  permission: string;
}

/**
 * The one shape a module's composition root (`modules/<name>/api/`) hands to main.ts.
 * Route plugins are keyed by the auth context they belong to; the context plugin
 * registers them inside its own scope, so a module cannot put a seller route in the
 * consumer scope without the start-up check noticing.
 */
export interface AppModule {
  name: string;
  /** Absolute path of the folder holding this module's `NNNN-name.sql` migrations. */
  migrationsDir: string;
  routes: Partial<Record<AuthContextName, FastifyPluginAsync>>;
  /** Background work the module owns (relays, probes). Started after migrations. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * What every module factory (`create<Name>Module(deps)`) receives. Modules that need more
 * (another module's public service, a token service) take `ModuleDeps & { ... }`;
 * `src/app.ts` wires it all by hand.
 */
export interface ModuleDeps {
  pool: Pool;
  events: EventBus;
  logger: FastifyBaseLogger;
}
