/**
 * What `npm run bench:app` sends: the seeded data (through the app's public API, as the load
 * scenarios seed it) and the two request streams, identical for the app and the bare server.
 */
import { risingAmounts, seedIdentities, seedListings } from '../../../load/runner/fixture.js';
import type { RequestSpec } from '../../../load/runner/open-model.js';
import type { Workload } from './compare.js';

export interface BenchFixture {
  consumerTokens: string[];
  listings: string[];
}

export const OPENING_BID_CENTS = 1_010;

/** Consumers, one seller, auction listings, each auction opened with one bid (so every measured bid runs the same path). */
export async function seedBench(appUrl: string, counts: { consumers: number; listings: number }): Promise<BenchFixture> {
  const tokens = await seedIdentities(appUrl, counts.consumers);
  const listings = await seedListings(appUrl, tokens.seller[0]!, counts.listings, { title: 'Vintage brass lamp', priceCents: 1000, stock: 1 });
  for (const id of listings) {
    const res = await fetch(`${appUrl}/api/consumer/listings/${id}/bids`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.consumer[0]}` },
      body: JSON.stringify({ amountCents: OPENING_BID_CENTS }),
    });
    if (res.status !== 201) throw new Error(`seeding: opening bid on ${id} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
  return { consumerTokens: tokens.consumer, listings };
}

/** Public listing detail, round-robin over the seeded listings. */
export function listingRead(fx: BenchFixture): Workload {
  return {
    name: 'listing read',
    next: (n): RequestSpec => ({ name: 'GET /api/public/listings/:listingId', method: 'GET', path: `/api/public/listings/${fx.listings[n % fx.listings.length]}` }),
  };
}

/**
 * Consumer bid placement, round-robin over the listings and consumers, amounts rising per
 * listing over the whole run (both targets write the same auctions). A bid overtaken on the
 * wire by a later one is refused with 422: an answer, as in the dau scenario.
 */
export function bidWrite(fx: BenchFixture): Workload {
  const amount = risingAmounts(OPENING_BID_CENTS);
  return {
    name: 'bid write',
    next: (n): RequestSpec => {
      const listing = fx.listings[n % fx.listings.length]!;
      return {
        name: 'POST /api/consumer/listings/:listingId/bids',
        method: 'POST',
        path: `/api/consumer/listings/${listing}/bids`,
        headers: { authorization: `Bearer ${fx.consumerTokens[n % fx.consumerTokens.length]}` },
        body: { amountCents: amount(listing) },
        expect: [201, 422],
      };
    },
  };
}
