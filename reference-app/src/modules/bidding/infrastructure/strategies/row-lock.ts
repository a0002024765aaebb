import { randomUUID } from 'node:crypto';
import type { Pool } from '../../../../shared/db/pool.js';
import { withTransaction } from '../../../../shared/db/transaction.js';
import type { BidPlacementStrategy } from '../../application/ports.js';
import { assertBidAllowed } from '../../domain/auction.js';
import { advanceAuction, readAuction } from './auction-row.js';
import { recordNewLeader } from './leader-change.js';

/**
 * Pessimistic: SELECT ... FOR UPDATE the auction row, check the rules in code, then write.
 * Simple and always correct; bids on one listing queue on the row lock for the whole
 * transaction, so throughput on a hot listing is bounded by one transaction at a time.
 */
export function createRowLockStrategy(pool: Pool): BidPlacementStrategy {
  return {
    name: 'row-lock',
    // Bids queue on the row lock; nothing is ever run again.
    retries: () => 0,
    place: (attempt, afterPlace) =>
      withTransaction(pool, async (tx) => {
        const auction = await readAuction(tx, attempt.listingId, 'FOR UPDATE');
        assertBidAllowed(auction, attempt);
        const bidId = randomUUID();
        await advanceAuction(tx, attempt, bidId);
        const { bid, overtaken } = await recordNewLeader(tx, attempt, bidId);
        const placed = { bid, sellerId: auction.sellerId, overtaken };
        await afterPlace(tx, placed);
        return placed;
      }),
  };
}
