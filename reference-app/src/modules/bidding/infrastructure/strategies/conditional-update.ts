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
 * When zero rows change, a plain read explains why. Under READ COMMITTED that read sees
 * more than the UPDATE did when the auction was opened by a concurrent first bid after the
 * UPDATE's snapshot: then no rule refuses the bid, and the UPDATE runs again (bounded).
 */
/** A statement that found no row although no rule refuses the bid is retried this many times at most. */
const MAX_STATEMENT_TRIES = 3;

export function createConditionalUpdateStrategy(pool: Pool): BidPlacementStrategy {
  let retries = 0;
  return {
    name: 'conditional-update',
    retries: () => retries,
    place: (attempt, afterPlace) =>
      withTransaction(pool, async (tx) => {
        const bidId = randomUUID();
        let sellerId: string | undefined;
        for (let tries = 1; !sellerId; tries++) {
          const { rows } = await tx.query<{ seller_id: string }>(
            `UPDATE bidding.auctions
             SET current_price_cents = $2, leading_bid_id = $3, leading_bidder_id = $4, bid_count = bid_count + 1,
                 version = version + 1
             WHERE listing_id = $1 AND status = 'open' AND seller_id <> $4
               AND $2 >= starting_price_cents AND current_price_cents < $2
             RETURNING seller_id`,
            [attempt.listingId, attempt.amountCents, bidId, attempt.bidderId],
          );
          sellerId = rows[0]?.seller_id;
          if (sellerId) break;
          const refusal = bidRefusal(await readAuction(tx, attempt.listingId), attempt);
          if (refusal) throw refusal;
          if (tries >= MAX_STATEMENT_TRIES) throw new RuleViolationError('a higher bid arrived first');
          retries++;
        }
        const { bid, overtaken } = await recordNewLeader(tx, attempt, bidId);
        const placed = { bid, sellerId, overtaken };
        await afterPlace(tx, placed);
        return placed;
      }),
  };
}
