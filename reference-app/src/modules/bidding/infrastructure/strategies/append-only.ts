import { randomUUID } from 'node:crypto';
import type { Pool } from '../../../../shared/db/pool.js';
import type { Tx } from '../../../../shared/db/transaction.js';
import { withTransaction } from '../../../../shared/db/transaction.js';
import { RuleViolationError } from '../../../../shared/errors.js';
import type { BidPlacementStrategy } from '../../application/ports.js';
import { bidRefusal, type BidAttempt } from '../../domain/auction.js';
import { BID_COLUMNS, toBid, type BidRow } from '../bid-rows.js';
import { readAuction } from './auction-row.js';

interface AppendResult extends Partial<BidRow> {
  seller_id: string | null;
  prev_id: string | null;
  prev_bidder_id: string | null;
  prev_amount_cents: string | null;
}

/** Unique index of migration 0003: one live bid per amount per listing. */
const ONE_PER_AMOUNT = 'bids_one_per_amount';

/** An INSERT that found no auction row although no rule refuses the bid is retried this many times at most. */
const MAX_STATEMENT_TRIES = 3;

/**
 * Append-only: never UPDATE the hot row. Each bid is an INSERT guarded by "higher than the
 * current max"; the current price is derived as max(amount) over the bids (an index answers
 * it). Bidders share the auction row only in SHARE mode, which they never contend for, so it
 * scales best on a hot listing.
 *
 * Guarantees: no bid is stored after the auction closes (FOR SHARE waits for an accept's
 * FOR UPDATE, then re-checks `status = 'open'` on the committed row; an accept waits for
 * bids in flight and then sees them); two bids of the same amount are never both stored
 * (unique index); no bid is ever lost. The price: two DIFFERENT amounts racing on the same
 * snapshot may both be recorded, so a lower bid can be stored beside a higher one that
 * committed meanwhile; it is never the leader (price and accept read the maximum).
 */
export function createAppendOnlyStrategy(pool: Pool): BidPlacementStrategy {
  let retries = 0;
  return {
    name: 'append-only',
    retries: () => retries,
    place: (attempt, afterPlace) =>
      withTransaction(pool, async (tx) => {
        // READ COMMITTED: the INSERT sees what committed before it started. When the first
        // bids open the auction concurrently, its snapshot may predate the auction row although
        // the bid is allowed; the explanation below reads afresh, and if no rule refuses the
        // bid the INSERT runs again (bounded) instead of refusing a bid that should lead.
        let row: AppendResult | undefined;
        for (let tries = 1; !row?.id; tries++) {
          row = (await insertBid(tx, attempt)).rows[0];
          if (row?.id) break;
          const auction = await readAuction(tx, attempt.listingId);
          const highest = await tx.query<{ amount_cents: string | null }>(
            'SELECT max(amount_cents) AS amount_cents FROM bidding.bids WHERE listing_id = $1',
            [attempt.listingId],
          );
          const refusal = bidRefusal({ ...auction, currentPriceCents: Number(highest.rows[0]?.amount_cents ?? 0) }, attempt);
          if (refusal) throw refusal;
          if (tries >= MAX_STATEMENT_TRIES) throw new RuleViolationError('a higher bid arrived first');
          retries++;
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

async function insertBid(tx: Tx, attempt: BidAttempt) {
  try {
    return await tx.query<AppendResult>(
      `WITH previous AS (
         SELECT id, bidder_id, amount_cents FROM bidding.bids
         WHERE listing_id = $2 ORDER BY amount_cents DESC, placed_at LIMIT 1
       ), inserted AS (
         INSERT INTO bidding.bids (id, listing_id, bidder_id, amount_cents, status)
         SELECT $1, $2, $3, $4, 'placed' FROM bidding.auctions a
         WHERE a.listing_id = $2 AND a.status = 'open' AND a.seller_id <> $3
           AND $4 >= a.starting_price_cents
           AND $4 > COALESCE((SELECT amount_cents FROM previous), 0)
         FOR SHARE OF a
         RETURNING ${BID_COLUMNS}, (SELECT seller_id FROM bidding.auctions WHERE listing_id = $2) AS seller_id
       )
       SELECT inserted.*, p.id AS prev_id, p.bidder_id AS prev_bidder_id, p.amount_cents AS prev_amount_cents
       FROM (SELECT 1) AS one LEFT JOIN inserted ON true LEFT JOIN previous p ON true`,
      [randomUUID(), attempt.listingId, attempt.bidderId, attempt.amountCents],
    );
  } catch (error) {
    // A concurrent bid of the same amount committed first (we waited for it on the index).
    if ((error as { constraint?: string }).constraint === ONE_PER_AMOUNT) {
      throw new RuleViolationError('a bid of this amount was placed first; bid higher');
    }
    throw error;
  }
}
