import type { Pool } from '../../../../shared/db/pool.js';
import type { BidPlacementStrategy, BidStrategyName } from '../../application/ports.js';
import { createAppendOnlyStrategy } from './append-only.js';
import { createConditionalUpdateStrategy } from './conditional-update.js';
import { createOptimisticStrategy } from './optimistic.js';
import { createRowLockStrategy } from './row-lock.js';

const FACTORIES: Record<BidStrategyName, (pool: Pool) => BidPlacementStrategy> = {
  'row-lock': createRowLockStrategy,
  optimistic: createOptimisticStrategy,
  'conditional-update': createConditionalUpdateStrategy,
  'append-only': createAppendOnlyStrategy,
};

export function createBidStrategy(name: BidStrategyName, pool: Pool): BidPlacementStrategy {
  return FACTORIES[name](pool);
}
