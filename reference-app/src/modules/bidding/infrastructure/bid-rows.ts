import type { Auction } from '../domain/auction.js';
import type { Bid, BidStatus } from '../domain/bid.js';

export interface BidRow {
  id: string;
  listing_id: string;
  bidder_id: string;
  amount_cents: string;
  status: BidStatus;
  placed_at: Date;
}

export interface AuctionRow {
  listing_id: string;
  seller_id: string;
  starting_price_cents: string;
  current_price_cents: string;
  leading_bid_id: string | null;
  leading_bidder_id: string | null;
  bid_count: number;
  version: number;
  status: 'open' | 'closed';
}

export const BID_COLUMNS = 'id, listing_id, bidder_id, amount_cents, status, placed_at';
export const AUCTION_COLUMNS =
  'listing_id, seller_id, starting_price_cents, current_price_cents, leading_bid_id, leading_bidder_id, bid_count, version, status';

export function toBid(row: BidRow): Bid {
  return {
    id: row.id,
    listingId: row.listing_id,
    bidderId: row.bidder_id,
    // bigint arrives as text; amounts are capped far below 2^53 by the API schema.
    amountCents: Number(row.amount_cents),
    status: row.status,
    placedAt: row.placed_at,
  };
}

export function toAuction(row: AuctionRow): Auction {
  return {
    listingId: row.listing_id,
    sellerId: row.seller_id,
    startingPriceCents: Number(row.starting_price_cents),
    currentPriceCents: Number(row.current_price_cents),
    leadingBidId: row.leading_bid_id,
    leadingBidderId: row.leading_bidder_id,
    bidCount: row.bid_count,
    version: row.version,
    status: row.status,
  };
}
