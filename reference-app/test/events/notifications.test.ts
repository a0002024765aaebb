import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createListing, problemOf, startTestApp, userWithToken, type TestApp, type TestUser } from '../helpers/test-app.js';
import { waitFor } from './support.js';

// The notifications module end to end: real HTTP requests in orders and bidding publish
// events in their transactions; the app's relay delivers them to notifications.
let t: TestApp;
let seller: TestUser;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await startTestApp({ relay: true });
  [seller, alice, bob, admin] = await Promise.all([
    userWithToken(t.app, 'seller'),
    userWithToken(t.app, 'consumer'),
    userWithToken(t.app, 'consumer'),
    userWithToken(t.app, 'admin'),
  ]);
});

afterAll(async () => {
  await t?.close();
});

async function notificationsOf(user: TestUser, context: 'consumer' | 'seller') {
  const response = await t.app.inject({ method: 'GET', url: `/api/${context}/notifications`, headers: bearer(user.token) });
  expect(response.statusCode).toBe(200);
  return response.json<Array<{ id: string; kind: string; title: string; body: string; subject: { id: string }; readAt: string | null }>>();
}

describe('notifications', () => {
  it('tells the seller about bids and the outbid bidder about the higher bid', async () => {
    const listing = await createListing(t.app, seller, { kind: 'auction', priceCents: 1000, stock: 1 });
    for (const [user, amountCents] of [[alice, 1500], [bob, 2000]] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/consumer/listings/${listing.id}/bids`,
        headers: bearer(user.token),
        payload: { amountCents },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    await waitFor('outbid notice', async () => (await notificationsOf(alice, 'consumer')).length === 1);
    const [outbid] = await notificationsOf(alice, 'consumer');
    expect(outbid).toMatchObject({ kind: 'bid.outbid.bidder', title: 'You have been outbid', subject: { id: listing.id } });
    expect(outbid!.body).toContain('20.00 EUR');
    await waitFor('bid notices', async () => (await notificationsOf(seller, 'seller')).length === 2);
    expect(await notificationsOf(bob, 'consumer')).toEqual([]);

    // Every notice was handed to the (default, recording) sender exactly once.
    const { rows } = await t.app.pool.query(`SELECT count(*)::int n, count(DISTINCT notification_id)::int d FROM notifications.delivery`);
    expect(rows[0]).toEqual({ n: 3, d: 3 });

    const read = await t.app.inject({ method: 'POST', url: `/api/consumer/notifications/${outbid!.id}/read`, headers: bearer(alice.token) });
    expect(read.statusCode).toBe(204);
    expect((await notificationsOf(alice, 'consumer'))[0]!.readAt).not.toBeNull();
    // Someone else's notification is not found for bob.
    const notBobs = await t.app.inject({ method: 'POST', url: `/api/consumer/notifications/${outbid!.id}/read`, headers: bearer(bob.token) });
    expect(problemOf(notBobs).status).toBe(404);
  });

  it('confirms an order to the buyer and tells the seller', async () => {
    const listing = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 2500, stock: 5 });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/consumer/orders',
      headers: bearer(bob.token),
      payload: { listingId: listing.id, quantity: 2 },
    });
    expect(r.statusCode, r.body).toBe(201);
    await waitFor('order notice', async () => (await notificationsOf(bob, 'consumer')).some((n) => n.kind === 'order.placed.buyer'));
    const buyer = (await notificationsOf(bob, 'consumer')).find((n) => n.kind === 'order.placed.buyer')!;
    expect(buyer.body).toContain('50.00 EUR');
    await waitFor('sale notice', async () => (await notificationsOf(seller, 'seller')).some((n) => n.kind === 'order.placed.seller'));
  });

  it('lets an admin see the outbox per consumer and refuses the wrong context or permission', async () => {
    const summary = await t.app.inject({ method: 'GET', url: '/api/admin/events/consumers', headers: bearer(admin.token) });
    expect(summary.statusCode).toBe(200);
    const pending = await t.app.inject({
      method: 'GET',
      url: '/api/admin/events/publications?state=pending&consumer=notifications',
      headers: bearer(admin.token),
    });
    expect(pending.statusCode).toBe(200);
    expect(pending.json()).toEqual([]);
    const asConsumer = await t.app.inject({ method: 'GET', url: '/api/admin/events/consumers', headers: bearer(alice.token) });
    expect(asConsumer.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/admin/events/consumers' });
    expect(anonymous.statusCode).toBe(401);
    const badState = await t.app.inject({ method: 'GET', url: '/api/admin/events/publications?state=lost', headers: bearer(admin.token) });
    expect(problemOf(badState).status).toBe(400);
    const missing = await t.app.inject({ method: 'POST', url: '/api/admin/events/publications/424242/resubmit', headers: bearer(admin.token) });
    expect(problemOf(missing).status).toBe(404);
  });
});

describe('resubmitting through the admin route', () => {
  it('puts a dead-lettered publication back (202) and refuses one that is not dead (409)', async () => {
    const listing = await createListing(t.app, seller, { kind: 'fixed-price', priceCents: 700, stock: 1 });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/consumer/orders',
      headers: bearer(alice.token),
      payload: { listingId: listing.id, quantity: 1 },
    });
    expect(r.statusCode, r.body).toBe(201);
    const orderId = r.json<{ id: string }>().id;
    const publicationOf = async () =>
      (
        await t.app.pool.query<{ id: string; status: string }>(
          `SELECT p.id::text, p.status FROM events.publication p JOIN events.event e ON e.id = p.event_id
            WHERE e.payload->>'orderId' = $1 AND p.consumer = 'notifications'`,
          [orderId],
        )
      ).rows[0];
    await waitFor('order publication completed', async () => (await publicationOf())?.status === 'completed');
    const { id } = (await publicationOf())!;

    const notDead = await t.app.inject({ method: 'POST', url: `/api/admin/events/publications/${id}/resubmit`, headers: bearer(admin.token) });
    expect(problemOf(notDead).status).toBe(409);

    // As if its handler had failed ten times.
    await t.app.pool.query(`UPDATE events.publication SET status = 'dead', dead_at = now(), attempts = 10, last_error = 'boom' WHERE id = $1`, [id]);
    const dead = await t.app.inject({ method: 'GET', url: '/api/admin/events/publications?state=dead', headers: bearer(admin.token) });
    expect(dead.json<Array<{ id: string; lastError: string }>>()).toEqual([expect.objectContaining({ id, lastError: 'boom' })]);
    const asReader = await t.app.inject({ method: 'POST', url: `/api/admin/events/publications/${id}/resubmit`, headers: bearer(alice.token) });
    expect(asReader.statusCode).toBe(403);
    const resubmitted = await t.app.inject({ method: 'POST', url: `/api/admin/events/publications/${id}/resubmit`, headers: bearer(admin.token) });
    expect(resubmitted.statusCode).toBe(202);
    await waitFor('redelivered', async () => (await publicationOf())?.status === 'completed');
    // The inbox had it: the redelivery changed nothing, the buyer still has one receipt.
    const receipts = (await notificationsOf(alice, 'consumer')).filter((n) => n.kind === 'order.placed.buyer' && n.subject.id === orderId);
    expect(receipts).toHaveLength(1);
  });
});
