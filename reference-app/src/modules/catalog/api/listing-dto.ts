import type { Listing } from '../domain/listing.js';
import type { ListingDto } from './schemas.js';

export function toListingDto(listing: Listing): ListingDto {
  return { ...listing, createdAt: listing.createdAt.toISOString() };
}
