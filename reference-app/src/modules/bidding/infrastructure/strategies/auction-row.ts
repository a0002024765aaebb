import type { Tx } from '../../../../shared/db/transaction.js';
import type { Auction, BidAttempt } from '../../domain/auction.js';
import { AuctionNotOpenedError } from '../../application/ports.js';
import { AUCTION_COLUMNS, toAuction, type AuctionRow } from '../bid-rows.js';

/** Reads the auction row, optionally locking it; a missing row means "open it first". */
export async function readAuction(tx: Tx, listingId: string, lock: 'FOR UPDATE' | '' = ''): Promise<Auction> {
  const { rows } = await tx.query<AuctionRow>(
    `SELECT ${AUCTION_COLUMNS} FROM bidding.auctions WHERE listing_id = $1 ${lock}`,
    [listingId],
  );
  if (!rows[0]) throw new AuctionNotOpenedError(listingId);
  return toAuction(rows[0]);
}

/** Moves the auction's price and leader to the new bid; `expectedVersion` makes it a compare-and-set. */
export async function advanceAuction(
  tx: Tx,
  attempt: BidAttempt,
  bidId: string,
  expectedVersion?: number,
): Promise<boolean> {
  const params: unknown[] = [attempt.listingId, attempt.amountCents, bidId, attempt.bidderId];
  if (expectedVersion !== undefined) params.push(expectedVersion);
  const { rowCount } = await tx.query(
    `UPDATE bidding.auctions
     SET current_price_cents = $2, leading_bid_id = $3, leading_bidder_id = $4,
         bid_count = bid_count + 1, version = version + 1
     WHERE listing_id = $1 ${expectedVersion !== undefined ? 'AND version = $5' : ''}`,
    params,
  );
  return rowCount === 1;
}
