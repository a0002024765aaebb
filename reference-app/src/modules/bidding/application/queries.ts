import { NotFoundError } from '../../../shared/errors.js';
import type { Bid } from '../domain/bid.js';
import type { AuctionView, BidRepository, ListingLookup } from './ports.js';

type Page = { limit: number; offset: number };

export function auctionViewHandler(bids: BidRepository, listings: ListingLookup) {
  return async function viewAuction(listingId: string): Promise<AuctionView> {
    const view = await bids.view(listingId);
    if (view) return view;
    // No bid yet: an auction listing still has a (not yet opened) auction to show.
    const listing = await listings.find(listingId);
    if (!listing || listing.kind !== 'auction') throw new NotFoundError('no auction for this listing');
    return {
      listingId,
      status: 'open',
      startingPriceCents: listing.priceCents,
      currentPriceCents: 0,
      bidCount: 0,
      leadingBidId: null,
    };
  };
}

export function myBidsHandler(bids: BidRepository) {
  return async function myBids(bidderId: string, page: Page): Promise<Bid[]> {
    return bids.listByBidder(bidderId, page);
  };
}

export function bidsOnMyListingHandler(bids: BidRepository) {
  return async function bidsOnMyListing(sellerId: string, listingId: string, page: Page): Promise<Bid[]> {
    const seller = await bids.sellerOf(listingId);
    if (seller === undefined) return [];
    // Someone else's listing looks like one without an auction.
    if (seller !== sellerId) throw new NotFoundError('no auction for this listing');
    return bids.listForListing(listingId, page);
  };
}
