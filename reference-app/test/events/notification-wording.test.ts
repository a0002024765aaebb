import { describe, expect, it } from 'vitest';
import { formatCents, newBidNotice, orderPlacedNotices, outbidNotice } from '../../src/modules/notifications/domain/notification.js';

describe('notification wording (domain, no database)', () => {
  it('formats integer cents without floating-point drift', () => {
    expect(formatCents(1)).toBe('0.01 EUR');
    expect(formatCents(2999, 'USD')).toBe('29.99 USD');
  });

  it('tells the outbid bidder both amounts and points at the listing', () => {
    const n = outbidNotice({ eventId: 'e1', bidderId: 'b1', listingId: 'l1', outbidAmountCents: 1500, newAmountCents: 2000 });
    expect(n).toMatchObject({ recipientId: 'b1', kind: 'bid.outbid.bidder', sourceEventId: 'e1', subject: { type: 'listing', id: 'l1' } });
    expect(n.body).toBe('Someone bid 20.00 EUR, above your 15.00 EUR.');
  });

  it('gives an order a receipt for the buyer and a sale for the seller, but only one notice when they are the same person', () => {
    const both = orderPlacedNotices({ eventId: 'e2', orderId: 'o1', buyerId: 'u1', sellerId: 'u2', totalCents: 5000 });
    expect(both.map((n) => [n.recipientId, n.kind])).toEqual([
      ['u1', 'order.placed.buyer'],
      ['u2', 'order.placed.seller'],
    ]);
    const self = orderPlacedNotices({ eventId: 'e3', orderId: 'o2', buyerId: 'u1', sellerId: 'u1', totalCents: 5000 });
    expect(self.map((n) => n.kind)).toEqual(['order.placed.buyer']);
    expect(newBidNotice({ eventId: 'e4', sellerId: 's', listingId: 'l', amountCents: 123 }).body).toBe('A buyer bid 1.23 EUR.');
  });
});
