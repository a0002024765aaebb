import { RuleViolationError } from '../../../shared/errors.js';

/** One row per auctioned listing: the hot row that concurrent bids fight over. */
export interface Auction {
  listingId: string;
  sellerId: string;
  startingPriceCents: number;
  /** Highest accepted bid so far; 0 before the first bid. */
  currentPriceCents: number;
  leadingBidId: string | null;
  leadingBidderId: string | null;
  bidCount: number;
  version: number;
  status: 'open' | 'closed';
}

export interface BidAttempt {
  listingId: string;
  bidderId: string;
  amountCents: number;
}

/**
 * The rules a bid must pass, whatever the concurrency strategy. Strategies that check in SQL
 * (conditional update, append-only) encode the same rules in their WHERE clause and call
 * this only to explain a refusal.
 */
export function bidRefusal(
  auction: Pick<Auction, 'sellerId' | 'status' | 'startingPriceCents' | 'currentPriceCents'>,
  bid: BidAttempt,
): RuleViolationError | undefined {
  if (auction.status !== 'open') return new RuleViolationError('the auction is closed');
  if (auction.sellerId === bid.bidderId) return new RuleViolationError('sellers cannot bid on their own listing');
  if (bid.amountCents < auction.startingPriceCents) {
    return new RuleViolationError(`bid must be at least the starting price of ${auction.startingPriceCents} cents`, [
      { field: 'body:/amountCents', message: `must be >= ${auction.startingPriceCents}` },
    ]);
  }
  if (bid.amountCents <= auction.currentPriceCents) {
    return new RuleViolationError(`bid must be higher than the current price of ${auction.currentPriceCents} cents`, [
      { field: 'body:/amountCents', message: `must be > ${auction.currentPriceCents}` },
    ]);
  }
  return undefined;
}

export function assertBidAllowed(auction: Parameters<typeof bidRefusal>[0], bid: BidAttempt): void {
  const refusal = bidRefusal(auction, bid);
  if (refusal) throw refusal;
}
