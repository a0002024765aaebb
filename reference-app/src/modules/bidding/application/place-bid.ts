import { NotFoundError, RuleViolationError } from '../../../shared/errors.js';
import { runOnce, type Remember } from '../../../shared/idempotency.js';
import type { BidAttempt } from '../domain/auction.js';
import {
  AuctionNotOpenedError,
  type BidEvents,
  type BidKeys,
  type BidPlacementStrategy,
  type BidRepository,
  type ListingLookup,
  type PlacedBid,
} from './ports.js';

/**
 * Places a bid with the configured strategy; the bid and its events commit together.
 * The first bid on a listing opens its auction row from catalog's data, then retries.
 */
export function placeBidHandler(
  strategy: BidPlacementStrategy,
  bids: BidRepository,
  listings: ListingLookup,
  events: BidEvents,
  keys: BidKeys,
) {
  /** With a key, a retry answers the first attempt's bid instead of bidding again. */
  return async function placeBid(attempt: BidAttempt & { idempotencyKey?: string }): Promise<PlacedBid> {
    const request = {
      userId: attempt.bidderId,
      key: attempt.idempotencyKey,
      fingerprint: `bid:${attempt.listingId}:${attempt.amountCents}`,
    };
    return runOnce(keys, request, (remember) => place(attempt, remember));
  };

  async function place(attempt: BidAttempt, remember: Remember): Promise<PlacedBid> {
    // The bid, its events and its idempotency key commit together.
    const publish = async (tx: Parameters<BidEvents['placed']>[0], placed: PlacedBid) => {
      await events.placed(tx, placed);
      await remember(tx, placed.bid.id);
    };
    try {
      return await strategy.place(attempt, publish);
    } catch (error) {
      if (!(error instanceof AuctionNotOpenedError)) throw error;
    }
    const listing = await listings.find(attempt.listingId);
    if (!listing) throw new NotFoundError('listing not found');
    if (listing.kind !== 'auction')
      throw new RuleViolationError('this listing is sold at a fixed price; check it out instead');
    if (listing.status !== 'active') throw new RuleViolationError('this listing is not on sale');
    await bids.openAuction({
      listingId: listing.id,
      sellerId: listing.sellerId,
      startingPriceCents: listing.priceCents,
    });
    return strategy.place(attempt, publish);
  }
}
