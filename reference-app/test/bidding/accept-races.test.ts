import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { BID_STRATEGIES } from '../../src/modules/bidding/index.js';
import { acceptBid, placeBid } from '../helpers/marketplace.js';
import { startStrategyApps, type StrategyApps } from '../helpers/strategy-apps.js';
import { createListing, type TestUser } from '../helpers/test-app.js';

/*
 * The races the issue found: a seller accepting the top bid while higher bids arrive, and the
 * same bid sent many times at once. Each is run many times per strategy, bids spread over a
 * few milliseconds around the accept so every interleaving (before, during, after) occurs.
 */
const TRIALS = 12;
const RACING_BIDS = 6;
const DUPLICATES = 10;

let apps: StrategyApps['apps'];
let seller: TestUser;
let bidders: TestUser[];
let strategyApps: StrategyApps | undefined;

beforeAll(async () => {
  strategyApps = await startStrategyApps(RACING_BIDS);
  ({ apps, seller, bidders } = strategyApps);
});
afterAll(async () => {
  await strategyApps?.close();
});

async function storedBids(app: App, listingId: string) {
  const { rows } = await app.pool.query<{ amount_cents: string; status: string; placed_at: Date }>(
    'SELECT amount_cents, status, placed_at FROM bidding.bids WHERE listing_id = $1 ORDER BY placed_at',
    [listingId],
  );
  return rows.map((r) => ({ amount: Number(r.amount_cents), status: r.status }));
}

describe.each(BID_STRATEGIES)('strategy %s', (strategy) => {
  it('never stores or acknowledges a bid that commits after the accept closed the auction', async () => {
    const app = apps.get(strategy)!;
    const outcomes = { acceptWon: 0, bidWon: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const listing = await createListing(app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
      const first = await placeBid(app, bidders[0]!, listing.id, 2_000);
      expect(first.statusCode, first.body).toBe(201);
      const firstBidId = first.json<{ bid: { id: string } }>().bid.id;

      // The accept and higher bids leave together; each bid waits 0-3 ms so some land before,
      // some during and some after the accept's transaction.
      const [accept, ...bids] = await Promise.all([
        acceptBid(app, seller, firstBidId),
        ...Array.from({ length: RACING_BIDS }, (_, i) =>
          sleep(i % 4).then(() => placeBid(app, bidders[i]!, listing.id, 3_000 + i * 100)),
        ),
      ]);
      const unexpected = [accept, ...bids].filter((r) => ![201, 409, 422].includes(r.statusCode));
      expect(unexpected.map((r) => `${r.statusCode} ${r.body}`)).toEqual([]);
      const acknowledged = bids.filter((r) => r.statusCode === 201).map((r) => r.json<{ bid: { amountCents: number } }>().bid.amountCents);
      const stored = await storedBids(app, listing.id);
      const auction = await app.pool.query<{ status: string }>('SELECT status FROM bidding.auctions WHERE listing_id = $1', [
        listing.id,
      ]);

      if (accept.statusCode === 201) {
        outcomes.acceptWon++;
        // The auction sold at 2,000: no higher bid may have been acknowledged or stored.
        expect(acknowledged, `trial ${trial}: bids acknowledged on a sold auction`).toEqual([]);
        expect(stored).toEqual([{ amount: 2_000, status: 'accepted' }]);
        expect(auction.rows[0]!.status).toBe('closed');
      } else {
        outcomes.bidWon++;
        // A higher bid committed first, so the accept of the overtaken bid was refused and nothing closed.
        expect(accept.statusCode, accept.body).toBe(422);
        expect(auction.rows[0]!.status).toBe('open');
        expect(stored.map((b) => b.amount).sort()).toEqual([2_000, ...acknowledged].sort());
      }
    }
    process.stdout.write(`${strategy}: accept vs bids x${TRIALS}: ${JSON.stringify(outcomes)}\n`);
  });

  it('stores one bid when the same amount is sent many times at once', async () => {
    const app = apps.get(strategy)!;
    for (let trial = 0; trial < 4; trial++) {
      const listing = await createListing(app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
      const responses = await Promise.all(
        Array.from({ length: DUPLICATES }, (_, i) => placeBid(app, bidders[i % RACING_BIDS]!, listing.id, 5_000)),
      );
      const codes = responses.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 201), `trial ${trial}: ${codes.join(',')}`).toHaveLength(1);
      expect(codes.every((c) => c === 201 || c === 422 || c === 409), codes.join(',')).toBe(true);
      const stored = await storedBids(app, listing.id);
      expect(stored.map((b) => b.amount)).toEqual([5_000]);
    }
  });
});
