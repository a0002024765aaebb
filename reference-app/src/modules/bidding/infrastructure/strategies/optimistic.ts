import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '../../../../shared/db/pool.js';
import { withTransaction } from '../../../../shared/db/transaction.js';
import { ConflictError } from '../../../../shared/errors.js';
import type { BidPlacementStrategy, PlacedBid } from '../../application/ports.js';
import { assertBidAllowed } from '../../domain/auction.js';
import { advanceAuction, readAuction } from './auction-row.js';
import { recordNewLeader } from './leader-change.js';

class StaleVersion extends Error {}

export const OPTIMISTIC_MAX_ATTEMPTS = 8;

/**
 * Optimistic: read the row without locking, check the rules, then UPDATE ... WHERE version = read
 * version. Zero rows means someone else won the race: roll back and retry with a fresh read,
 * a bounded number of times with jittered back-off, then give up with 409. No lock is held
 * while thinking, but under heavy contention most attempts are wasted work.
 */
export function createOptimisticStrategy(pool: Pool, maxAttempts = OPTIMISTIC_MAX_ATTEMPTS): BidPlacementStrategy {
  let retries = 0;
  return {
    name: 'optimistic',
    retries: () => retries,
    async place(attempt, afterPlace) {
      for (let round = 1; ; round++) {
        try {
          return await withTransaction(pool, async (tx): Promise<PlacedBid> => {
            const auction = await readAuction(tx, attempt.listingId);
            assertBidAllowed(auction, attempt);
            const bidId = randomUUID();
            if (!(await advanceAuction(tx, attempt, bidId, auction.version))) throw new StaleVersion();
            // The compare-and-set above now holds the row lock, so the leader change is safe.
            const { bid, overtaken } = await recordNewLeader(tx, attempt, bidId);
            const placed = { bid, sellerId: auction.sellerId, overtaken };
            await afterPlace(tx, placed);
            return placed;
          });
        } catch (error) {
          if (!(error instanceof StaleVersion)) throw error;
          if (round >= maxAttempts) {
            throw new ConflictError(`the listing changed under ${maxAttempts} attempts in a row; try again`);
          }
          retries++;
          await sleep(Math.random() * Math.min(50, 2 ** round));
        }
      }
    },
  };
}
