import { RuleViolationError } from '../../../shared/errors.js';

/** `fixed-price`: bought at the price by checkout. `auction`: sold by the seller accepting a bid. */
export const LISTING_KINDS = ['fixed-price', 'auction'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

export type ListingStatus = 'active' | 'sold-out';

export interface Listing {
  id: string;
  sellerId: string;
  title: string;
  description: string;
  kind: ListingKind;
  /** Fixed price, or the starting price of an auction; integer cents. */
  priceCents: number;
  stock: number;
  status: ListingStatus;
  createdAt: Date;
}

export interface NewListing {
  sellerId: string;
  title: string;
  description: string;
  kind: ListingKind;
  priceCents: number;
  stock: number;
}

export const MAX_STOCK = 100_000;

/** Rules the schema cannot state: a listing has something to sell and a title worth showing. */
export function assertValidNewListing(listing: NewListing): void {
  if (listing.title.trim().length < 3) {
    throw new RuleViolationError('title must have at least 3 non-blank characters', [
      { field: 'body:/title', message: 'must have at least 3 non-blank characters' },
    ]);
  }
  if (listing.stock < 1 || listing.stock > MAX_STOCK) {
    throw new RuleViolationError(`stock must be between 1 and ${MAX_STOCK}`, [
      { field: 'body:/stock', message: `must be between 1 and ${MAX_STOCK}` },
    ]);
  }
}

/** Why a restock was refused although the listing is the seller's: the total would pass MAX_STOCK. */
export function restockRefusal(listing: Listing, quantity: number): RuleViolationError {
  return new RuleViolationError(`stock would become ${listing.stock + quantity}, above the maximum ${MAX_STOCK}`, [
    { field: 'body:/quantity', message: `at most ${Math.max(0, MAX_STOCK - listing.stock)}` },
  ]);
}

/** Why stock could not be taken from a listing, given its current state. */
export function reservationRefusal(listing: Listing, quantity: number, kind: ListingKind): RuleViolationError {
  if (listing.kind !== kind) return new RuleViolationError(`listing is sold by ${listing.kind}, not ${kind}`);
  if (listing.status === 'sold-out') return new RuleViolationError('listing is sold out');
  return new RuleViolationError(`only ${listing.stock} left, asked for ${quantity}`, [
    { field: 'body:/quantity', message: `at most ${listing.stock}` },
  ]);
}
