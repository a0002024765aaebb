// bidding's public surface: its composition root, the service orders uses, and its event contracts.
export { createBiddingModule, type BiddingDeps, type BiddingModule } from './api/module.js';
export { BID_STRATEGIES, type AcceptedBid, type BidDesk, type BidStrategyName } from './api/public-types.js';
export { bidOutbid, bidPlaced } from './api/events.js';
