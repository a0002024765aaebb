import type { ServiceDeclarations } from './declaration.js';
import { EmbedBody, EmbedResponse, ScanReceiptBody, ScanReceiptResponse } from './models-contract.js';

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
    displayName: 'Models (receipt OCR, embeddings)',
    baseUrlEnvVar: 'MODELS_SERVICE_URL',
    tokenEnvVar: 'MS_MODELS_TOKEN',
    aiTokenEnvVar: 'MS_MODELS_AI_TOKEN',
    health: { intervalSeconds: 5, degradedAfterSeconds: 10, downAfterSeconds: 15 },
    capabilities: { logs: { pull: true } },
    aiTasks: [
      { id: 'listing-embedding', shape: 'embedding', label: 'Listing search embeddings', endpoint: 'embed', feature: 'listing-search' },
      { id: 'receipt-ocr', shape: 'ocr', label: 'Receipt scan (OCR + field rules)', endpoint: 'scanReceipt', feature: 'receipt-scan' },
    ],
    endpoints: [
      { name: 'embed', method: 'POST', path: '/v1/embed', idempotent: true, timeoutMs: 10_000, body: EmbedBody, response: EmbedResponse },
      // Not retried although a scan is pure: a scan that timed out did so because the engine is
      // saturated, and a retry would add a second CPU-bound scan to the queue that caused it.
      { name: 'scanReceipt', method: 'POST', path: '/v1/receipts/scan', idempotent: false, timeoutMs: 20_000, body: ScanReceiptBody, response: ScanReceiptResponse },
    ],
  },
] as const satisfies ServiceDeclarations;

export type Services = typeof services;
