import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../../shared/db/transaction.js';
import type { BidAttempt } from '../../domain/auction.js';
import type { Bid, Overtaken } from '../../domain/bid.js';
import { BID_COLUMNS, toBid, type BidRow } from '../bid-rows.js';

/**
 * The tail shared by the three locking strategies, run while the transaction holds the
 * auction row's lock: demote the previous leader, insert the new leading bid. Because every
 * leader change happens under that lock, "the bid now marked leading" is exactly the
 * bid being overtaken.
 */
export async function recordNewLeader(
  tx: Tx,
  attempt: BidAttempt,
  bidId: string = randomUUID(),
): Promise<{ bid: Bid; overtaken?: Overtaken }> {
  const demoted = await tx.query<{ id: string; bidder_id: string; amount_cents: string }>(
    `UPDATE bidding.bids SET status = 'outbid' WHERE listing_id = $1 AND status = 'leading'
     RETURNING id, bidder_id, amount_cents`,
    [attempt.listingId],
  );
  const inserted = await tx.query<BidRow>(
    `INSERT INTO bidding.bids (id, listing_id, bidder_id, amount_cents, status) VALUES ($1, $2, $3, $4, 'leading')
     RETURNING ${BID_COLUMNS}`,
    [bidId, attempt.listingId, attempt.bidderId, attempt.amountCents],
  );
  const previous = demoted.rows[0];
  return {
    bid: toBid(inserted.rows[0]!),
    overtaken: previous
      ? { bidId: previous.id, bidderId: previous.bidder_id, amountCents: Number(previous.amount_cents) }
      : undefined,
  };
}
