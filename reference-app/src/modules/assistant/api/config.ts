import { MAX_COMPUTE_COST } from '../../../shared/services/index.js';
import type { ExecutionMode } from '../application/ports.js';

export type { ExecutionMode };

export interface AssistantConfig {
  /** ASSISTANT_EXECUTION: inline | pool | service (default pool). */
  mode: ExecutionMode;
  /** ASSISTANT_COMPUTE_COST: kernel rounds per task, 1..5000 (default 1). */
  cost: number;
  /** ASSISTANT_POOL_THREADS: worker threads in pool mode (default 1). */
  poolThreads: number;
}

const MODES: readonly ExecutionMode[] = ['inline', 'pool', 'service'];

export class AssistantConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssistantConfigError';
  }
}

function integer(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new AssistantConfigError(`${name}="${raw}" must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * Reads the assistant's configuration. The default is `pool`: it keeps the event loop free and
 * needs no other process, so `npm start` on a fresh machine works; `service` is chosen
 * deliberately, and only then does the catalog insist on MODELS_SERVICE_URL and MS_MODELS_TOKEN.
 */
export function assistantConfigFromEnv(env: Readonly<Record<string, string | undefined>>): AssistantConfig {
  const mode = (env.ASSISTANT_EXECUTION ?? '') === '' ? 'pool' : env.ASSISTANT_EXECUTION!;
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new AssistantConfigError(`ASSISTANT_EXECUTION="${mode}" must be one of ${MODES.join(' | ')}`);
  }
  return {
    mode: mode as ExecutionMode,
    cost: integer(env, 'ASSISTANT_COMPUTE_COST', 1, MAX_COMPUTE_COST),
    poolThreads: integer(env, 'ASSISTANT_POOL_THREADS', 1, 64),
  };
}

/** The extracted services this configuration needs: the catalog validates exactly these at start-up. */
export function servicesRequiredBy(config: AssistantConfig): Array<'models'> {
  return config.mode === 'service' ? ['models'] : [];
}
