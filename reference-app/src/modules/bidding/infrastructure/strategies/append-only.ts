import { randomUUID } from 'node:crypto';
import type { Pool } from '../../../../shared/db/pool.js';
import { withTransaction } from '../../../../shared/db/transaction.js';
import { RuleViolationError } from '../../../../shared/errors.js';
import type { BidPlacementStrategy } from '../../application/ports.js';
import { bidRefusal } from '../../domain/auction.js';
import { BID_COLUMNS, toBid, type BidRow } from '../bid-rows.js';
import { readAuction } from './auction-row.js';

interface AppendResult extends Partial<BidRow> {
  seller_id: string | null;
  prev_id: string | null;
  prev_bidder_id: string | null;
  prev_amount_cents: string | null;
}

/**
 * Append-only: never UPDATE the hot row. Each bid is an INSERT guarded by "higher than the
 * current max"; the current price is derived as max(amount) over the bids (an index answers
 * it). No row lock is shared between bidders, so it scales best on a hot listing. The price:
 * two bids racing on the same snapshot may both be recorded, so a bid can be accepted and
 * already overtaken; the highest bid still wins, and no bid is ever lost.
 */
export function createAppendOnlyStrategy(pool: Pool): BidPlacementStrategy {
  return {
    name: 'append-only',
    place: (attempt, afterPlace) =>
      withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<AppendResult>(
          `WITH previous AS (
             SELECT id, bidder_id, amount_cents FROM bidding.bids
             WHERE listing_id = $2 ORDER BY amount_cents DESC, placed_at LIMIT 1
           ), inserted AS (
             INSERT INTO bidding.bids (id, listing_id, bidder_id, amount_cents, status)
             SELECT $1, $2, $3, $4, 'placed' FROM bidding.auctions a
             WHERE a.listing_id = $2 AND a.status = 'open' AND a.seller_id <> $3
               AND $4 >= a.starting_price_cents
               AND $4 > COALESCE((SELECT amount_cents FROM previous), 0)
             RETURNING ${BID_COLUMNS}, (SELECT seller_id FROM bidding.auctions WHERE listing_id = $2) AS seller_id
           )
           SELECT inserted.*, p.id AS prev_id, p.bidder_id AS prev_bidder_id, p.amount_cents AS prev_amount_cents
           FROM (SELECT 1) AS one LEFT JOIN inserted ON true LEFT JOIN previous p ON true`,
          [randomUUID(), attempt.listingId, attempt.bidderId, attempt.amountCents],
        );
        const row = rows[0];
        if (!row?.id) {
          const auction = await readAuction(tx, attempt.listingId);
          const current = Number(row?.prev_amount_cents ?? 0);
          throw (
            bidRefusal({ ...auction, currentPriceCents: current }, attempt) ??
            new RuleViolationError('a higher bid arrived first')
          );
        }
        const placed = {
          bid: toBid(row as BidRow),
          sellerId: row.seller_id!,
          overtaken: row.prev_id
            ? { bidId: row.prev_id, bidderId: row.prev_bidder_id!, amountCents: Number(row.prev_amount_cents) }
            : undefined,
        };
        await afterPlace(tx, placed);
        return placed;
      }),
  };
}
