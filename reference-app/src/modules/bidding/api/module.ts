import { fileURLToPath } from 'node:url';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import { traced } from '../../../shared/tracing.js';
import type { ListingCatalog } from '../../catalog/index.js';
import { acceptBidHandler } from '../application/accept-bid.js';
import { placeBidHandler } from '../application/place-bid.js';
import type { BidStrategyName } from '../application/ports.js';
import { auctionViewHandler, bidsOnMyListingHandler, myBidsHandler } from '../application/queries.js';
import { createPgBidKeys, createPgBidRepository } from '../infrastructure/pg-bid-repository.js';
import { createBidStrategy } from '../infrastructure/strategies/index.js';
import { createBidEvents } from './bid-events.js';
import type { BiddingHandlers } from './handlers.js';
import type { BidDesk } from './public-types.js';
import { consumerRoutes } from './routes/consumer.js';
import { adminRoutes } from './routes/admin.js';
import { publicRoutes } from './routes/public.js';
import { sellerRoutes } from './routes/seller.js';

export type BiddingDeps = ModuleDeps & {
  /** catalog's public service: bidding reads listings to open their auctions. */
  catalog: Pick<ListingCatalog, 'find'>;
  /** How concurrent bids on one listing are serialised; default conditional-update (ADR-0010). */
  strategy?: BidStrategyName;
};

export interface BiddingModule extends AppModule {
  /** The public service handed to orders. */
  bids: BidDesk;
  strategy: BidStrategyName;
}

/** Composition root of bidding: bids on auction listings under one of four concurrency strategies. */
export function createBiddingModule(deps: BiddingDeps): BiddingModule {
  const repository = createPgBidRepository(deps.pool);
  const strategy = createBidStrategy(deps.strategy ?? 'conditional-update', deps.pool);
  const handlers: BiddingHandlers = {
    placeBid: traced(
      'bidding',
      'PlaceBid',
      placeBidHandler(strategy, repository, deps.catalog, createBidEvents(deps.events), createPgBidKeys(deps.pool)),
    ),
    acceptBid: traced('bidding', 'AcceptBid', acceptBidHandler(repository)),
    viewAuction: traced('bidding', 'ViewAuction', auctionViewHandler(repository, deps.catalog)),
    myBids: traced('bidding', 'MyBids', myBidsHandler(repository)),
    bidsOnMyListing: traced('bidding', 'BidsOnMyListing', bidsOnMyListingHandler(repository)),
  };
  return {
    name: 'bidding',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: {
      public: publicRoutes(handlers),
      consumer: consumerRoutes(handlers),
      seller: sellerRoutes(handlers),
      admin: adminRoutes(strategy),
    },
    bids: { acceptHighest: (tx, command) => handlers.acceptBid(tx, command) },
    strategy: strategy.name,
  };
}
