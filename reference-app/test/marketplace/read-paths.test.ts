import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptBid, checkOut, placeBid } from '../helpers/marketplace.js';
import {
  bearer,
  createListing,
  problemOf,
  startTestApp,
  userWithToken,
  type TestApp,
  type TestUser,
} from '../helpers/test-app.js';

let t: TestApp;
let seller: TestUser;
let otherSeller: TestUser;
let consumer: TestUser;
let otherConsumer: TestUser;
let admin: TestUser;
let camera: { id: string };
let kettle: { id: string };

beforeAll(async () => {
  t = await startTestApp();
  [seller, otherSeller, consumer, otherConsumer, admin] = await Promise.all([
    userWithToken(t.app, 'seller'),
    userWithToken(t.app, 'seller'),
    userWithToken(t.app, 'consumer'),
    userWithToken(t.app, 'consumer'),
    userWithToken(t.app, 'admin'),
  ]);
  camera = await createListing(t.app, seller, {
    kind: 'auction',
    priceCents: 1_000,
    stock: 1,
    title: 'Rangefinder camera',
    description: 'brass body',
  });
  kettle = await createListing(t.app, otherSeller, {
    kind: 'fixed-price',
    priceCents: 2_500,
    stock: 3,
    title: 'Copper kettle',
  });
});
afterAll(async () => t?.close());

const get = (url: string, user?: TestUser) =>
  t.app.inject({ method: 'GET', url, headers: user ? bearer(user.token) : {} });

describe('browse and search', () => {
  it('finds listings by words, kind and seller, newest first, paginated', async () => {
    expect((await get('/api/public/listings?q=camera')).json().map((l: { id: string }) => l.id)).toEqual([camera.id]);
    expect((await get('/api/public/listings?q=brass')).json()).toHaveLength(1);
    expect((await get('/api/public/listings?kind=fixed-price')).json().map((l: { id: string }) => l.id)).toEqual([
      kettle.id,
    ]);
    expect((await get(`/api/public/listings?sellerId=${seller.id}`)).json()).toHaveLength(1);
    const page = (await get('/api/public/listings?limit=1&offset=0')).json();
    expect(page.map((l: { id: string }) => l.id)).toEqual([kettle.id]);
    expect((await get('/api/public/listings?limit=1000')).statusCode).toBe(400);
  });

  it('shows one listing, and a problem+json 404 for an unknown one', async () => {
    expect((await get(`/api/public/listings/${kettle.id}`)).json()).toMatchObject({ title: 'Copper kettle', stock: 3 });
    const missing = await get(`/api/public/listings/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing).type).toBe('/problems/not-found');
  });

  it('answers unknown routes with problem+json', async () => {
    const response = await get('/api/public/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).detail).toContain('/api/public/nothing-here');
  });
});

describe('per-user views are scoped to the caller', () => {
  it('auction view, my bids, bids on my listing', async () => {
    expect((await get(`/api/public/listings/${camera.id}/auction`)).json()).toMatchObject({
      currentPriceCents: 0,
      bidCount: 0,
    });
    await placeBid(t.app, consumer, camera.id, 1_500);
    await placeBid(t.app, otherConsumer, camera.id, 1_800);
    expect((await get(`/api/public/listings/${camera.id}/auction`)).json()).toMatchObject({
      currentPriceCents: 1_800,
      bidCount: 2,
    });
    expect(
      (await get('/api/consumer/bids', consumer)).json().map((b: { amountCents: number }) => b.amountCents),
    ).toEqual([1_500]);
    const onMine = (await get(`/api/seller/listings/${camera.id}/bids`, seller)).json();
    expect(onMine.map((b: { amountCents: number; status: string }) => [b.amountCents, b.status])).toEqual([
      [1_800, 'leading'],
      [1_500, 'outbid'],
    ]);
    expect((await get(`/api/seller/listings/${camera.id}/bids`, otherSeller)).statusCode).toBe(404);
    expect((await get(`/api/public/listings/${kettle.id}/auction`)).statusCode).toBe(404);
  });

  it('orders: buyers see theirs, sellers their sales, admins everything', async () => {
    expect((await checkOut(t.app, consumer, kettle.id, 2)).statusCode).toBe(201);
    const top = (await get(`/api/seller/listings/${camera.id}/bids`, seller)).json()[0];
    expect((await acceptBid(t.app, seller, top.id)).statusCode).toBe(201);
    expect(
      (await get('/api/consumer/orders', consumer)).json().map((o: { totalCents: number }) => o.totalCents),
    ).toEqual([5_000]);
    expect(
      (await get('/api/consumer/orders', otherConsumer)).json().map((o: { totalCents: number }) => o.totalCents),
    ).toEqual([1_800]);
    expect((await get('/api/seller/orders', otherSeller)).json()).toHaveLength(1);
    expect((await get('/api/admin/orders', admin)).json()).toHaveLength(2);
    expect((await get('/api/consumer/me', consumer)).json()).toMatchObject({ id: consumer.id, roles: ['consumer'] });
  });
});

describe('operations', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    expect((await get('/ready')).json()).toEqual({ status: 'ready' });
    const doc = (await get('/docs/json')).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    expect(doc.paths['/api/consumer/listings/{listingId}/bids'].post['x-auth']).toEqual({
      context: 'consumer',
      permission: 'bids:write',
    });
  });
});
