import type { App } from '../../src/app.js';
import { bearer, createListing, type TestUser } from './test-app.js';

export async function placeBid(app: App, consumer: TestUser, listingId: string, amountCents: number) {
  return app.inject({
    method: 'POST',
    url: `/api/consumer/listings/${listingId}/bids`,
    headers: bearer(consumer.token),
    payload: { amountCents },
  });
}

export async function acceptBid(app: App, seller: TestUser, bidId: string) {
  return app.inject({ method: 'POST', url: `/api/seller/bids/${bidId}/acceptance`, headers: bearer(seller.token) });
}

export async function checkOut(app: App, consumer: TestUser, listingId: string, quantity: number) {
  return app.inject({
    method: 'POST',
    url: '/api/consumer/orders',
    headers: bearer(consumer.token),
    payload: { listingId, quantity },
  });
}

/** An auction listing with one leading bid on it. */
export async function auctionWithBid(app: App, seller: TestUser, consumer: TestUser, amountCents = 5_000) {
  const listing = await createListing(app, seller, { kind: 'auction', priceCents: 1_000, stock: 1 });
  const bid = await placeBid(app, consumer, listing.id, amountCents);
  if (bid.statusCode !== 201) throw new Error(`bid failed: ${bid.statusCode} ${bid.body}`);
  return { listingId: listing.id, bidId: bid.json<{ bid: { id: string } }>().bid.id };
}
