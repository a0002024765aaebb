import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BID_STRATEGIES } from '../../src/modules/bidding/index.js';
import { placeBid } from '../helpers/marketplace.js';
import { startStrategyApps, type StrategyApps } from '../helpers/strategy-apps.js';
import { createListing, userWithToken, type TestUser } from '../helpers/test-app.js';

const BIDS = 40;
const BIDDERS = 8;

let apps: StrategyApps['apps'];
let seller: TestUser;
let bidders: TestUser[];
let strategyApps: StrategyApps | undefined;

beforeAll(async () => {
  strategyApps = await startStrategyApps(BIDDERS);
  ({ apps, seller, bidders } = strategyApps);
});
afterAll(async () => {
  await strategyApps?.close();
});

/** Distinct amounts in a shuffled order, so arrival order and amount order disagree. */
function shuffledAmounts(): number[] {
  const amounts = Array.from({ length: BIDS }, (_, i) => 10_000 + i * 100);
  for (let i = amounts.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [amounts[i], amounts[j]] = [amounts[j]!, amounts[i]!];
  }
  return amounts;
}

describe.each(BID_STRATEGIES)('bid strategy %s under real concurrency', (strategy) => {
  it('loses no bid, keeps the highest in the lead and publishes one bid.placed per accepted bid', async () => {
    const app = apps.get(strategy)!;
    const listing = await createListing(app, seller, { kind: 'auction', priceCents: 5_000, stock: 1 });
    const amounts = shuffledAmounts();
    const responses = await Promise.all(
      amounts.map((amount, i) => placeBid(app, bidders[i % BIDDERS]!, listing.id, amount)),
    );

    const accepted = amounts.filter((_, i) => responses[i]!.statusCode === 201);
    const count = (status: number) => responses.filter((r) => r.statusCode === status).length;
    process.stdout.write(
      `${strategy}: ${BIDS} concurrent bids -> ${count(201)} accepted, ${count(422)} too low, ${count(409)} gave up\n`,
    );
    const unexpected = responses
      .filter((r) => ![201, 422, 409].includes(r.statusCode))
      .map((r) => `${r.statusCode} ${r.body}`);
    expect(unexpected).toEqual([]);
    // Only optimistic may give up (409 after bounded retries); the others never do.
    if (strategy !== 'optimistic') expect(responses.filter((r) => r.statusCode === 409)).toEqual([]);
    const highestAccepted = Math.max(...accepted);
    if (strategy !== 'optimistic') expect(highestAccepted).toBe(Math.max(...amounts));

    const bids = await app.pool.query<{ id: string; bidder_id: string; amount_cents: string; status: string }>(
      'SELECT id, bidder_id, amount_cents, status FROM bidding.bids WHERE listing_id = $1 ORDER BY placed_at',
      [listing.id],
    );
    // Every 201 is a stored bid and every stored bid was a 201: nothing lost, nothing phantom.
    expect(bids.rows.map((r) => Number(r.amount_cents)).sort()).toEqual([...accepted].sort());

    const view = await app.inject({ method: 'GET', url: `/api/public/listings/${listing.id}/auction` });
    expect(view.json()).toMatchObject({ currentPriceCents: highestAccepted, bidCount: accepted.length });

    const eventCount = async (type: string) =>
      (
        await app.pool.query(
          `SELECT count(*)::int AS n FROM events.event WHERE type = $1 AND payload->>'listingId' = $2`,
          [type, listing.id],
        )
      ).rows[0].n as number;
    expect(await eventCount('bid.placed')).toBe(accepted.length);
    const outbids = await eventCount('bid.outbid');

    if (strategy === 'append-only') {
      // The hot row is never written; the price is derived from the bids.
      const row = await app.pool.query(
        'SELECT bid_count, current_price_cents FROM bidding.auctions WHERE listing_id = $1',
        [listing.id],
      );
      expect(row.rows[0]).toEqual({ bid_count: 0, current_price_cents: '0' });
      expect(outbids).toBeLessThan(accepted.length);
      return;
    }
    // Locking strategies: bids were admitted one at a time, each higher than the last ...
    const inOrder = bids.rows.map((r) => Number(r.amount_cents));
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
    // Each admitted bid overtook the one before it; the loser hears of it unless they outbid themselves.
    const handovers = bids.rows.filter((r, i) => i > 0 && r.bidder_id !== bids.rows[i - 1]!.bidder_id).length;
    expect(outbids).toBe(handovers);
    // ... exactly one leader, the highest, and the cached row agrees with the bids.
    const leaders = bids.rows.filter((r) => r.status === 'leading');
    expect(leaders.map((r) => Number(r.amount_cents))).toEqual([highestAccepted]);
    const row = await app.pool.query(
      'SELECT bid_count, current_price_cents, leading_bid_id FROM bidding.auctions WHERE listing_id = $1',
      [listing.id],
    );
    expect(row.rows[0]).toEqual({
      bid_count: accepted.length,
      current_price_cents: String(highestAccepted),
      leading_bid_id: leaders[0]!.id,
    });
  });

  it('refuses a bid that is not higher than the current price, and a seller bidding on their listing', async () => {
    const app = apps.get(strategy)!;
    const listing = await createListing(app, seller, { kind: 'auction', priceCents: 5_000, stock: 1 });
    expect((await placeBid(app, bidders[0]!, listing.id, 4_999)).statusCode).toBe(422);
    expect((await placeBid(app, bidders[0]!, listing.id, 6_000)).statusCode).toBe(201);
    const tooLow = await placeBid(app, bidders[1]!, listing.id, 6_000);
    expect(tooLow.statusCode).toBe(422);
    expect(tooLow.json().errors[0].field).toBe('body:/amountCents');
    const sellerAsBidder = await userWithToken(app, 'consumer');
    await app.pool.query('UPDATE bidding.auctions SET seller_id = $1 WHERE listing_id = $2', [
      sellerAsBidder.id,
      listing.id,
    ]);
    expect((await placeBid(app, sellerAsBidder, listing.id, 9_000)).statusCode).toBe(422);
  });
});
