/**
 * What a notification says and to whom. Pure: the wording of each kind lives here so it can
 * be tested without a database, and changed without touching delivery.
 */
export type NotificationKind = 'order.placed.buyer' | 'order.placed.seller' | 'bid.placed.seller' | 'bid.outbid.bidder';

export interface NotificationDraft {
  recipientId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** The event this notification came from: with `kind` and `recipientId`, what makes it unique. */
  sourceEventId: string;
  /** Where a client would take the reader (a listing or an order). */
  subject: { type: 'listing' | 'order'; id: string };
}

export function formatCents(cents: number, currency = 'EUR'): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

export function outbidNotice(input: {
  eventId: string;
  bidderId: string;
  listingId: string;
  outbidAmountCents: number;
  newAmountCents: number;
}): NotificationDraft {
  return {
    recipientId: input.bidderId,
    kind: 'bid.outbid.bidder',
    title: 'You have been outbid',
    body: `Someone bid ${formatCents(input.newAmountCents)}, above your ${formatCents(input.outbidAmountCents)}.`,
    sourceEventId: input.eventId,
    subject: { type: 'listing', id: input.listingId },
  };
}

export function newBidNotice(input: { eventId: string; sellerId: string; listingId: string; amountCents: number }): NotificationDraft {
  return {
    recipientId: input.sellerId,
    kind: 'bid.placed.seller',
    title: 'New bid on your listing',
    body: `A buyer bid ${formatCents(input.amountCents)}.`,
    sourceEventId: input.eventId,
    subject: { type: 'listing', id: input.listingId },
  };
}

/** An order concerns two people: the buyer gets a receipt, the seller a sale. */
export function orderPlacedNotices(input: {
  eventId: string;
  orderId: string;
  buyerId: string;
  sellerId: string;
  totalCents: number;
  currency?: string;
}): NotificationDraft[] {
  const total = formatCents(input.totalCents, input.currency);
  const subject = { type: 'order' as const, id: input.orderId };
  const notices: NotificationDraft[] = [
    {
      recipientId: input.buyerId,
      kind: 'order.placed.buyer',
      title: 'Order confirmed',
      body: `Your order totalling ${total} is placed.`,
      sourceEventId: input.eventId,
      subject,
    },
  ];
  // A seller buying their own listing (test data, demos) gets one notice, not two.
  if (input.sellerId !== input.buyerId) {
    notices.push({
      recipientId: input.sellerId,
      kind: 'order.placed.seller',
      title: 'You made a sale',
      body: `A buyer ordered for ${total}.`,
      sourceEventId: input.eventId,
      subject,
    });
  }
  return notices;
}
