import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createAdminContext } from './contexts/admin/admin-context.js';
import { outboxAdminRoutes } from './contexts/admin/outbox-routes.js';
import { createConsumerContext } from './contexts/consumer/consumer-context.js';
import { createPublicContext } from './contexts/public/public-context.js';
import { createSellerContext } from './contexts/seller/seller-context.js';
import { createBiddingModule, type BidStrategyName } from './modules/bidding/index.js';
import { createCatalogModule, type ListingCatalog } from './modules/catalog/index.js';
import { createIdentityModule, type LoginLimits, type UserDirectory } from './modules/identity/index.js';
import { createOrdersModule } from './modules/orders/index.js';
import { createNotificationsModule } from './modules/notifications/index.js';
import {
  assistantConfigFromEnv,
  createAssistantModule,
  servicesRequiredBy,
  type AssistantConfig,
} from './modules/assistant/index.js';
import { createTokenService, resolveTokenSecret } from './shared/auth/tokens.js';
import { refuseUndeclaredRoutes, type DeclaredRoute } from './shared/auth/route-declarations.js';
import { createPool, type Pool } from './shared/db/pool.js';
import { runMigrations } from './shared/db/migrations.js';
import { createEventBus, createEventsOperations, type PostgresEventBus } from './shared/events/index.js';
import { clientErrorHandler, frameworkErrors } from './shared/http/framework-errors.js';
import { installProblemDetails } from './shared/http/problem-details.js';
import { refuseRequestsWhileClosing } from './shared/http/shutdown.js';
import { refuseUnexpectedBodies } from './shared/http/no-body-guard.js';
import { describeRouteForOpenApi } from './shared/http/openapi.js';
import { buildValidator } from './shared/http/validation.js';
import type { AppModule, ModuleDeps } from './shared/module.js';
import {
  createServiceCatalog,
  services,
  type CatalogOptions,
  type Env,
  type Services,
} from './shared/services/index.js';

export interface BuildOptions {
  /** Required unless `pool` is given. */
  databaseUrl?: string;
  /** Use this pool instead of creating one (the caller then closes it). */
  pool?: Pool;
  /** Max pool connections (DB_POOL_MAX); default 10. */
  poolMax?: number;
  /** HS256 secret; default AUTH_TOKEN_SECRET or a random per-process one (with a warning). */
  tokenSecret?: string;
  tokenTtlSeconds?: number;
  /** How concurrent bids on one listing are serialised (BID_STRATEGY); default conditional-update (ADR-0010). */
  bidStrategy?: BidStrategyName;
  /** Fastify/pino logger options; false in tests. */
  logger?: FastifyServerOptions['logger'];
  /** Apply migrations during build (default true). */
  migrate?: boolean;
  /** Run the event relay in this process (default true). Tests that count event rows turn it off. */
  relay?: boolean;
  /** Serve swagger-ui at /docs (default true; the document at /docs/json either way is needed by tests). */
  docs?: boolean;
  /** Assistant execution mode and compute cost; default from ASSISTANT_EXECUTION / ASSISTANT_COMPUTE_COST. */
  assistant?: AssistantConfig;
  /** Service catalog: where base URLs and tokens are read (default process.env); tests shorten cadences. */
  serviceCatalog?: Pick<CatalogOptions<Services>, 'health'> & { env?: Env };
  /** Login throttling per IP and per account (default 120 and 10 attempts a minute). */
  loginLimits?: LoginLimits;
  /** Last hook before the app is sealed: tests use it to register extra (rogue) routes. */
  extend?: (app: FastifyInstance) => void | Promise<void>;
}

export type App = FastifyInstance & {
  /** The event bus, for tests and the worker wiring. */
  events: PostgresEventBus;
  pool: Pool;
  /** identity's user directory and catalog's listings, for seeding demo data. */
  users: UserDirectory;
  listings: ListingCatalog;
  bidStrategy: BidStrategyName;
  /** Every registered route and its auth declaration (the auth matrix checks none hides from the docs). */
  declaredRoutes: () => DeclaredRoute[];
};

/**
 * Builds the whole modular monolith: kernel, modules, the four auth-context scopes. Used by
 * main.ts (which then listens) and by tests (which use `app.inject`). Nothing listens here.
 */
export async function build(options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Bodies above 64 KiB are no marketplace request; refuse them before parsing.
    bodyLimit: 64 * 1024,
    // Errors Fastify answers itself (bad URL, 414, 431, 503 while closing) are problem+json too.
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: false,
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ownsPool = !options.pool;
  const pool = options.pool ?? createPool({ connectionString: requireUrl(options.databaseUrl), max: options.poolMax });
  const secret = options.tokenSecret ? { secret: options.tokenSecret, generated: false } : resolveTokenSecret();
  if (secret.generated) {
    app.log.warn('AUTH_TOKEN_SECRET is not set: using a random secret; tokens die with this process');
  }
  const tokens = createTokenService({ secret: secret.secret, ttlSeconds: options.tokenTtlSeconds });
  const events = createEventBus({ pool, logger: app.log, relay: options.relay ?? true, ensureSchema: false });
  const deps: ModuleDeps = { pool, events, logger: app.log };
  // The extracted-services catalog (shared kernel). It validates here, so a missing variable or
  // malformed URL of a service this configuration needs stops the boot with a clear message.
  const assistantConfig = options.assistant ?? assistantConfigFromEnv(process.env);
  const serviceCatalog = createServiceCatalog(services, {
    ...options.serviceCatalog,
    env: options.serviceCatalog?.env ?? process.env,
    required: servicesRequiredBy(assistantConfig),
  });
  app.decorate('serviceCatalog', serviceCatalog);

  // ─────────────────────────────────────────────────────────────────────────────────────
  // THE MODULE LIST. Every module of the monolith is constructed here, by hand, in
  // dependency order (a module receives the public services of the modules it may use,
  // as archfit.config.ts allows). To add a module: construct it below and append it to
  // `modules`. Its migrations, routes (per context) and start/stop then follow.
  // ─────────────────────────────────────────────────────────────────────────────────────
  const identity = createIdentityModule({ ...deps, tokens, loginLimits: options.loginLimits });
  const catalog = createCatalogModule(deps);
  const bidding = createBiddingModule({ ...deps, catalog: catalog.listings, strategy: options.bidStrategy });
  const orders = createOrdersModule({ ...deps, catalog: catalog.listings, bidding: bidding.bids });
  const modules: AppModule[] = [
    // The outbox first (shared kernel): its migrations, and its admin routes for pending /
    // failed / dead-lettered publications and resubmit.
    createEventsOperations({ admin: outboxAdminRoutes(events) }),
    identity,
    catalog,
    bidding,
    orders,
    createNotificationsModule(deps),
    createAssistantModule({ ...deps, listings: catalog.listings, services: serviceCatalog, config: assistantConfig }),
  ];
  // ─────────────────────────────────────────────────────────────────────────────────────

  if (options.migrate ?? true) {
    await runMigrations(pool, modules);
  }

  installProblemDetails(app);
  refuseRequestsWhileClosing(app);
  refuseUnexpectedBodies(app);
  const declaredRoutes = refuseUndeclaredRoutes(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'archfit reference marketplace', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: describeRouteForOpenApi,
  });

  const readiness = async () => {
    await pool.query('SELECT 1');
  };
  await app.register(createPublicContext({ modules, readiness, docs: options.docs ?? true }));
  await app.register(createConsumerContext({ modules, tokens, revocation: identity.revocation }));
  await app.register(createSellerContext({ modules, tokens, revocation: identity.revocation }));
  await app.register(createAdminContext({ modules, tokens, revocation: identity.revocation }));
  if (options.extend) await options.extend(app);

  app.addHook('onReady', async () => {
    await events.start();
    serviceCatalog.start();
    for (const module of modules) await module.start?.();
  });
  app.addHook('onClose', async () => {
    for (const module of [...modules].reverse()) await module.stop?.();
    await events.stop();
    await serviceCatalog.stop();
    if (ownsPool) await pool.end();
  });

  return Object.assign(app, {
    events,
    pool,
    users: identity.users,
    listings: catalog.listings,
    declaredRoutes,
    bidStrategy: bidding.strategy,
  }) as unknown as App;
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('build(): pass databaseUrl or pool');
  return url;
}
