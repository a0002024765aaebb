import type { Tx } from '../../../shared/db/transaction.js';
import type { AcceptedBid, BidStrategyName } from '../application/ports.js';

/** bidding's public service, for orders (which turns an accepted bid into an order). */
export interface BidDesk {
  /**
   * Marks the highest bid of an open auction accepted and closes the auction, inside the
   * caller's transaction. NotFoundError for a bid that is not the seller's, ConflictError
   * for a closed auction, RuleViolationError for a bid that is not the highest.
   */
  acceptHighest(tx: Tx, command: { bidId: string; sellerId: string }): Promise<AcceptedBid>;
}

export { BID_STRATEGIES } from '../application/ports.js';
export type { AcceptedBid, BidStrategyName };
