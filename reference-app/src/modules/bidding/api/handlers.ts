import type { acceptBidHandler } from '../application/accept-bid.js';
import type { placeBidHandler } from '../application/place-bid.js';
import type { auctionViewHandler, bidsOnMyListingHandler, myBidsHandler } from '../application/queries.js';

/** bidding's use cases, already wrapped in spans. */
export interface BiddingHandlers {
  placeBid: ReturnType<typeof placeBidHandler>;
  acceptBid: ReturnType<typeof acceptBidHandler>;
  viewAuction: ReturnType<typeof auctionViewHandler>;
  myBids: ReturnType<typeof myBidsHandler>;
  bidsOnMyListing: ReturnType<typeof bidsOnMyListingHandler>;
}
