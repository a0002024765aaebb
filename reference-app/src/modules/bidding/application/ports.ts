import type { Tx } from '../../../shared/db/transaction.js';
import type { IdempotencyKeys } from '../../../shared/idempotency.js';
import type { BidAttempt } from '../domain/auction.js';
import type { Bid, Overtaken } from '../domain/bid.js';

export const BID_STRATEGIES = ['row-lock', 'optimistic', 'conditional-update', 'append-only'] as const;
export type BidStrategyName = (typeof BID_STRATEGIES)[number];

export interface PlacedBid {
  bid: Bid;
  sellerId: string;
  overtaken?: Overtaken;
}

/** Thrown by a strategy when the listing has no auction row yet; the handler creates it and retries. */
export class AuctionNotOpenedError extends Error {
  constructor(readonly listingId: string) {
    super(`no auction row for listing ${listingId}`);
  }
}

/**
 * One way to serialise concurrent bids on the same listing. `afterPlace` runs inside the
 * same transaction (events are written there), so a bid and its events commit together.
 */
export interface BidPlacementStrategy {
  readonly name: BidStrategyName;
  place(attempt: BidAttempt, afterPlace: (tx: Tx, placed: PlacedBid) => Promise<void>): Promise<PlacedBid>;
  /**
   * How many times this strategy ran a statement or transaction again since the process
   * started (per process, never reset): a real retry, not a rollback. A strategy that never
   * retries answers 0. Read by the admin metrics route; the write-contention scenario
   * takes the difference around each step.
   */
  retries(): number;
}

/** What bidding needs to know about a listing; catalog provides it (adapted in api/module.ts). */
export interface AuctionableListing {
  id: string;
  sellerId: string;
  kind: string;
  priceCents: number;
  status: string;
}
export interface ListingLookup {
  find(listingId: string): Promise<AuctionableListing | undefined>;
}

export interface AuctionView {
  listingId: string;
  status: string;
  startingPriceCents: number;
  currentPriceCents: number;
  bidCount: number;
  leadingBidId: string | null;
}

export interface AcceptedBid {
  bidId: string;
  listingId: string;
  bidderId: string;
  sellerId: string;
  amountCents: number;
}

export interface BidRepository {
  /** Creates the auction row for a listing if missing (idempotent). */
  openAuction(listing: { listingId: string; sellerId: string; startingPriceCents: number }): Promise<void>;
  view(listingId: string): Promise<AuctionView | undefined>;
  listByBidder(bidderId: string, page: { limit: number; offset: number }): Promise<Bid[]>;
  listForListing(listingId: string, page: { limit: number; offset: number }): Promise<Bid[]>;
  sellerOf(listingId: string): Promise<string | undefined>;
  /** Locks the auction, checks the bid is the highest and open, marks it accepted, closes the auction. */
  acceptHighest(tx: Tx, bidId: string, sellerId: string): Promise<AcceptedBid>;
}

/** Bid placement Idempotency-Keys, stored in bidding's schema. */
export type BidKeys = IdempotencyKeys<PlacedBid>;

/** Publishes bidding's events on the caller's transaction (implemented with the contracts in api/). */
export interface BidEvents {
  placed(tx: Tx, placed: PlacedBid): Promise<void>;
}
