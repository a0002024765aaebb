import { BID_STRATEGIES, type BidStrategyName } from '../modules/bidding/index.js';

export interface Settings {
  databaseUrl?: string;
  embeddedPgPort?: number;
  port: number;
  host: string;
  poolMax: number;
  bidStrategy: BidStrategyName;
  logLevel: string;
  otel: boolean;
  /** Seed demo data; default: only on the embedded database. */
  seed?: boolean;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback?: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Reads and checks every environment variable the app honours, failing fast with the name of a bad one. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  // conditional-update since ADR-0010: the hot-row firing was a row-lock queue.
  const strategy = env.BID_STRATEGY || 'conditional-update';
  if (!(BID_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new Error(`BID_STRATEGY must be one of ${BID_STRATEGIES.join(', ')}, got "${strategy}"`);
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT'),
    port: integer(env, 'PORT', 3000) ?? 3000,
    host: env.HOST || '127.0.0.1',
    poolMax: integer(env, 'DB_POOL_MAX', 10) ?? 10,
    bidStrategy: strategy as BidStrategyName,
    logLevel: env.LOG_LEVEL || 'info',
    otel: env.OTEL_ENABLED === '1',
    seed: env.SEED_DEMO === undefined ? undefined : env.SEED_DEMO === '1',
  };
}
