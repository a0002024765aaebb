import type { Tx } from '../../../shared/db/transaction.js';
import type { AcceptedBid, BidRepository } from './ports.js';

/** Runs inside the caller's (orders') transaction: if the order fails, the bid is not accepted. */
export function acceptBidHandler(bids: BidRepository) {
  return async function acceptBid(tx: Tx, command: { bidId: string; sellerId: string }): Promise<AcceptedBid> {
    return bids.acceptHighest(tx, command.bidId, command.sellerId);
  };
}
