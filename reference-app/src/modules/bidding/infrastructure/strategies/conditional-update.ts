import { randomUUID } from 'node:crypto';
import type { Pool } from '../../../../shared/db/pool.js';
import { withTransaction } from '../../../../shared/db/transaction.js';
import { RuleViolationError } from '../../../../shared/errors.js';
import type { BidPlacementStrategy } from '../../application/ports.js';
import { bidRefusal } from '../../domain/auction.js';
import { readAuction } from './auction-row.js';
import { recordNewLeader } from './leader-change.js';

/**
 * One statement decides: UPDATE ... WHERE current_price < bid (plus the other rules). The
 * database re-checks the condition after waiting for a concurrent writer, so there is no
 * read-then-write window and no retry loop; the lock is held only from this UPDATE to commit.
 * When zero rows change, a plain read explains why.
 */
export function createConditionalUpdateStrategy(pool: Pool): BidPlacementStrategy {
  return {
    name: 'conditional-update',
    place: (attempt, afterPlace) =>
      withTransaction(pool, async (tx) => {
        const bidId = randomUUID();
        const { rows } = await tx.query<{ seller_id: string }>(
          `UPDATE bidding.auctions
           SET current_price_cents = $2, leading_bid_id = $3, leading_bidder_id = $4, bid_count = bid_count + 1,
               version = version + 1
           WHERE listing_id = $1 AND status = 'open' AND seller_id <> $4
             AND $2 >= starting_price_cents AND current_price_cents < $2
           RETURNING seller_id`,
          [attempt.listingId, attempt.amountCents, bidId, attempt.bidderId],
        );
        if (!rows[0]) {
          const auction = await readAuction(tx, attempt.listingId);
          throw bidRefusal(auction, attempt) ?? new RuleViolationError('a higher bid arrived first');
        }
        const { bid, overtaken } = await recordNewLeader(tx, attempt, bidId);
        const placed = { bid, sellerId: rows[0].seller_id, overtaken };
        await afterPlace(tx, placed);
        return placed;
      }),
  };
}
