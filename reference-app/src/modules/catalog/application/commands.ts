import type { Queryable } from '../../../shared/db/transaction.js';
import { NotFoundError } from '../../../shared/errors.js';
import {
  assertValidNewListing,
  MAX_STOCK,
  reservationRefusal,
  restockRefusal,
  type Listing,
  type ListingKind,
  type NewListing,
} from '../domain/listing.js';
import type { ListingRepository } from './ports.js';

export function createListingHandler(listings: ListingRepository) {
  return async function createListing(command: NewListing): Promise<Listing> {
    assertValidNewListing(command);
    return listings.insert({ ...command, title: command.title.trim(), description: command.description.trim() });
  };
}

export function restockHandler(listings: ListingRepository) {
  return async function restock(command: { listingId: string; sellerId: string; quantity: number }): Promise<Listing> {
    const listing = await listings.addStock(command.listingId, command.sellerId, command.quantity, MAX_STOCK);
    if (listing) return listing;
    // Nothing changed: not this seller's listing, or the total would pass MAX_STOCK.
    const current = await listings.findById(command.listingId);
    // Someone else's listing is reported as missing: sellers cannot probe each other's ids.
    if (!current || current.sellerId !== command.sellerId) throw new NotFoundError('listing not found');
    throw restockRefusal(current, command.quantity);
  };
}

/** Used by orders through catalog's public service, inside orders' transaction. */
export function takeStockHandler(listings: ListingRepository) {
  return async function takeStock(
    tx: Queryable,
    command: { listingId: string; quantity: number; kind: ListingKind },
  ): Promise<Listing> {
    const taken = await listings.takeStock(tx, command.listingId, command.quantity, command.kind);
    if (taken) return taken;
    const current = await listings.findById(command.listingId, tx);
    if (!current) throw new NotFoundError('listing not found');
    throw reservationRefusal(current, command.quantity, command.kind);
  };
}
