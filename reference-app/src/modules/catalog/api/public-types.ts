import type { Tx } from '../../../shared/db/transaction.js';
import type { ListingKind, ListingStatus } from '../domain/listing.js';

/** A listing as other modules see it. */
export interface ListingSnapshot {
  id: string;
  sellerId: string;
  title: string;
  description: string;
  kind: ListingKind;
  priceCents: number;
  stock: number;
  status: ListingStatus;
}

/**
 * catalog's public service, for the modules the map lets depend on catalog
 * (bidding, orders, assistant) and for seeding.
 */
export interface ListingCatalog {
  find(listingId: string): Promise<ListingSnapshot | undefined>;
  listBySeller(sellerId: string, limit: number): Promise<ListingSnapshot[]>;
  create(listing: Omit<ListingSnapshot, 'id' | 'status'>): Promise<ListingSnapshot>;
  /**
   * Takes stock inside the caller's transaction (so it rolls back with it). Throws a
   * NotFoundError or RuleViolationError when the listing cannot supply it.
   */
  takeStock(tx: Tx, command: { listingId: string; quantity: number; kind: ListingKind }): Promise<ListingSnapshot>;
}

export type { ListingKind, ListingStatus };
