import type { ServiceDeclarations } from './declaration.js';
import { EmbedBody, EmbedResponse, ExtractBody, ExtractResponse } from './models-contract.js';

/**
 * Every extracted service the monolith calls, in one declaration. The typed client, the
 * health probe loop, the admin view, feature gating and start-up validation are all driven
 * from this list: adding a service is one block here plus two environment variables.
 *
 * The bar for a block to exist at all is in docs/extracting-a-service.md.
 */
export const services = [
  {
    slug: 'models',
    displayName: 'Models (assistant compute)',
    baseUrlEnvVar: 'MODELS_SERVICE_URL',
    tokenEnvVar: 'MS_MODELS_TOKEN',
    health: { intervalSeconds: 5, degradedAfterSeconds: 10, downAfterSeconds: 15 },
    capabilities: { logs: { pull: true } },
    aiTasks: [
      { id: 'listing-embedding', shape: 'embedding', label: 'Listing search embeddings' },
      { id: 'receipt-extraction', shape: 'extraction', label: 'Receipt scan' },
    ],
    endpoints: [
      { name: 'embed', method: 'POST', path: '/v1/embed', idempotent: true, timeoutMs: 10_000, body: EmbedBody, response: EmbedResponse },
      { name: 'extract', method: 'POST', path: '/v1/extract', idempotent: true, timeoutMs: 10_000, body: ExtractBody, response: ExtractResponse },
    ],
  },
] as const satisfies ServiceDeclarations;

export type Services = typeof services;
