import type { Same } from '../../../shared/type-equality.js';
import type { Tx } from '../../../shared/db/transaction.js';
import type { ListingKind as DomainListingKind, ListingStatus as DomainListingStatus } from '../domain/listing.js';

/*
 * The public contract spells its own types: it must stay stable while the domain changes.
 * The checks below make the compiler flag any drift between the two.
 */
export type ListingKind = 'fixed-price' | 'auction';
export type ListingStatus = 'active' | 'sold-out';
const _kindsAgree: Same<ListingKind, DomainListingKind> = true;
const _statusesAgree: Same<ListingStatus, DomainListingStatus> = true;
void _kindsAgree;
void _statusesAgree;

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
