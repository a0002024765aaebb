import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BID_STRATEGIES } from '../../src/modules/bidding/index.js';
import { acceptBid, checkOut, placeBid } from '../helpers/marketplace.js';
import { startStrategyApps, type StrategyApps } from '../helpers/strategy-apps.js';
import { createListing, userWithToken, type TestUser } from '../helpers/test-app.js';

/*
 * "An event exists if and only if the business change committed." Counting events after a
 * successful write cannot tell an event written in the write's transaction from one written
 * beside it (its own transaction, after the commit). Here the business transaction fails at
 * its very last step: a deferred constraint trigger, checked at COMMIT, refuses a marked bid or
 * order after every statement of the transaction (the events' included) has run. Whatever
 * survives that failure was written outside the transaction. A control write beside each one
 * shows the events are there when the transaction commits.
 */
const FAILING_BID = 6_666;
/** Order totals that fail at commit: a checkout of 8 x 1,111 and an accepted bid of 8,888. */
const FAILING_TOTAL = 8_888;

let s: StrategyApps;
let consumer: TestUser;

beforeAll(async () => {
  s = await startStrategyApps(2);
  consumer = s.bidders[0]!;
  await s.t.app.pool.query(`
    CREATE FUNCTION public.fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure at commit of % %', TG_TABLE_NAME, NEW.id; END $$;
    CREATE CONSTRAINT TRIGGER fail_marked_bid AFTER INSERT ON bidding.bids
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.amount_cents = ${FAILING_BID})
      EXECUTE FUNCTION public.fail_at_commit();
    CREATE CONSTRAINT TRIGGER fail_marked_order AFTER INSERT ON orders.orders
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.total_cents = ${FAILING_TOTAL})
      EXECUTE FUNCTION public.fail_at_commit();`);
});
afterAll(async () => s?.close());

/** Events of `type` about `listingId` (optionally with one payload field equal to `value`), and their publications. */
async function eventsAbout(type: string, listingId: string, field?: string, value?: number) {
  const { rows } = await s.t.app.pool.query<{ events: number; publications: number }>(
    `SELECT count(DISTINCT e.id)::int AS events, count(p.id)::int AS publications
       FROM events.event e LEFT JOIN events.publication p ON p.event_id = e.id
      WHERE e.type = $1 AND e.payload->>'listingId' = $2 AND ($3::text IS NULL OR e.payload->>$3 = $4::text)`,
    [type, listingId, field ?? null, value === undefined ? null : String(value)],
  );
  return rows[0]!;
}

describe.each(BID_STRATEGIES)('bid placement with %s', (strategy) => {
  it('leaves no bid.placed (nor its publications) behind when the bid transaction fails at commit', async () => {
    const app = s.apps.get(strategy)!;
    const listing = await createListing(app, s.seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    // Open the auction with a first bid so every strategy takes its usual path.
    expect((await placeBid(app, consumer, listing.id, 2_000)).statusCode).toBe(201);

    const failed = await placeBid(app, consumer, listing.id, FAILING_BID);
    expect(failed.statusCode, failed.body).toBeGreaterThanOrEqual(500);
    // Another request in between: anything scheduled to run after the failed one has had its turn.
    const control = await placeBid(app, s.bidders[1]!, listing.id, 7_000);
    expect(control.statusCode, control.body).toBe(201);

    const stored = await app.pool.query('SELECT amount_cents FROM bidding.bids WHERE listing_id = $1 ORDER BY amount_cents', [
      listing.id,
    ]);
    expect(stored.rows.map((r) => Number(r.amount_cents))).toEqual([2_000, 7_000]);
    expect(await eventsAbout('bid.placed', listing.id, 'amountCents', FAILING_BID)).toEqual({ events: 0, publications: 0 });
    // The control's event is there, with its publications: the trigger did not hide them.
    const ok = await eventsAbout('bid.placed', listing.id, 'amountCents', 7_000);
    expect(ok.events).toBe(1);
    expect(ok.publications).toBeGreaterThan(0);
    // The failed bid would have outbid 2,000 and told its bidder: that must not survive either.
    expect((await eventsAbout('bid.outbid', listing.id, 'newAmountCents', FAILING_BID)).events).toBe(0);
  });
});

describe('orders', () => {
  it('leaves no order.placed behind when a checkout fails at commit, and keeps the stock', async () => {
    const { app } = s.t;
    const listing = await createListing(app, s.seller, { kind: 'fixed-price', priceCents: 1_111, stock: 20 });
    const failed = await checkOut(app, consumer, listing.id, 8);
    expect(failed.statusCode, failed.body).toBeGreaterThanOrEqual(500);
    const control = await checkOut(app, consumer, listing.id, 1);
    expect(control.statusCode, control.body).toBe(201);

    const orders = await app.pool.query('SELECT quantity FROM orders.orders WHERE listing_id = $1', [listing.id]);
    expect(orders.rows).toEqual([{ quantity: 1 }]);
    const stock = await app.pool.query('SELECT stock FROM catalog.listings WHERE id = $1', [listing.id]);
    expect(stock.rows[0].stock).toBe(19);
    const events = await eventsAbout('order.placed', listing.id);
    expect(events.events).toBe(1);
    expect(events.publications).toBeGreaterThan(0);
  });

  it('leaves no order.placed behind when accepting a bid fails at commit; the auction stays open', async () => {
    const { app } = s.t;
    const listing = await createListing(app, s.seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
    const bid = await placeBid(app, consumer, listing.id, FAILING_TOTAL);
    expect(bid.statusCode, bid.body).toBe(201);
    const failed = await acceptBid(app, s.seller, bid.json<{ bid: { id: string } }>().bid.id);
    expect(failed.statusCode, failed.body).toBeGreaterThanOrEqual(500);
    // Control: a higher bid on the still-open auction is accepted, and its order's event is there.
    const higher = await placeBid(app, s.bidders[1]!, listing.id, 9_000);
    expect(higher.statusCode, higher.body).toBe(201);
    const accepted = await acceptBid(app, s.seller, higher.json<{ bid: { id: string } }>().bid.id);
    expect(accepted.statusCode, accepted.body).toBe(201);

    const orders = await app.pool.query('SELECT total_cents FROM orders.orders WHERE listing_id = $1', [listing.id]);
    expect(orders.rows).toEqual([{ total_cents: '9000' }]);
    const events = await app.pool.query<{ total: string }>(
      `SELECT payload->>'totalCents' AS total FROM events.event WHERE type = 'order.placed' AND payload->>'listingId' = $1`,
      [listing.id],
    );
    expect(events.rows.map((r) => Number(r.total))).toEqual([9_000]);
  });
});
