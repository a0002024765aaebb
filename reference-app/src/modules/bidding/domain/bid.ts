/**
 * `leading`: the current highest bid (locking strategies keep exactly one per listing).
 * `outbid`: overtaken. `placed`: recorded by the append-only strategy, whose leader is
 * derived by max(amount). `accepted`: the seller took it; it became an order.
 */
export type BidStatus = 'leading' | 'outbid' | 'placed' | 'accepted';

export interface Bid {
  id: string;
  listingId: string;
  bidderId: string;
  amountCents: number;
  status: BidStatus;
  placedAt: Date;
}

/** The bidder who just lost the lead, for the `bid.outbid` event. */
export interface Overtaken {
  bidId: string;
  bidderId: string;
  amountCents: number;
}
