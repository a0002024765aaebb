import { NotFoundError } from '../../../shared/errors.js';
import type { Listing } from '../domain/listing.js';
import type { ListingRepository, ListingSearch } from './ports.js';

export function getListingHandler(listings: ListingRepository) {
  return async function getListing(listingId: string): Promise<Listing> {
    const listing = await listings.findById(listingId);
    if (!listing) throw new NotFoundError('listing not found');
    return listing;
  };
}

export function searchListingsHandler(listings: ListingRepository) {
  return async function searchListings(query: ListingSearch): Promise<Listing[]> {
    return listings.search(query);
  };
}
