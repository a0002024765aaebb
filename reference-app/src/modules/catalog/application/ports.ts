import type { Queryable } from '../../../shared/db/transaction.js';
import type { Listing, ListingKind, NewListing } from '../domain/listing.js';

export interface ListingSearch {
  /** Free text over title and description. */
  text?: string;
  kind?: ListingKind;
  sellerId?: string;
  /** Browsing shows only what can be bought; a seller's own view shows everything. */
  activeOnly: boolean;
  limit: number;
  offset: number;
}

export interface ListingRepository {
  insert(listing: NewListing): Promise<Listing>;
  findById(id: string, db?: Queryable): Promise<Listing | undefined>;
  search(query: ListingSearch): Promise<Listing[]>;
  /** Adds stock to the seller's own listing while the total stays <= maxStock; undefined otherwise. */
  addStock(id: string, sellerId: string, quantity: number, maxStock: number): Promise<Listing | undefined>;
  /**
   * Takes `quantity` off the stock in ONE conditional UPDATE (never below zero, only for an
   * active listing of `kind`), on the caller's transaction. Undefined when refused.
   */
  takeStock(db: Queryable, id: string, quantity: number, kind: ListingKind): Promise<Listing | undefined>;
}
