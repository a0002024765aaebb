import type { NotificationLagScenario } from '../scenarios/schema.js';
import { contentionRequest, type AppFixture, type StreamRequest } from './http-mix-stream.js';

// The notification-lag scenario's bids, shared by the in-repo runner and the k6 plan: no
// imports beyond the seeded streams, so the k6 generator does not pull in the app runner.

/** The hot stream's seed: k6 plans `contention` rows `hot` with the plan's seed (0) + 1. */
export const LAG_STREAM_SEED = 1;

/** The bid template with its expected statuses (a bid refused as too low, 422, is an answer). */
export const writeTemplate = (def: NotificationLagScenario) => ({ ...def.write, expect: def.write.expect ?? [201, 422] });

/**
 * Bid `n` (0-based) of the step: write-contention's hot stream at global index 1 + n, as k6
 * plans it; the opening bid took index 0, so every bid of the step outbids it.
 */
export function lagRequest(def: NotificationLagScenario, fx: AppFixture, n: number): StreamRequest {
  return contentionRequest(writeTemplate(def), fx, 'hot', fx.listings.length + n, LAG_STREAM_SEED, def.listing.priceCents);
}
