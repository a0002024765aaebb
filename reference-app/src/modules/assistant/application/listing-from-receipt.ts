import { RuleViolationError } from '../../../shared/errors.js';
import type { ScanReceiptResponse } from '../../../shared/services/index.js';

/** The listing fields the use case needs; the catalog module's public service provides `create`. */
export interface ListingWriter {
  create(listing: {
    sellerId: string;
    title: string;
    description: string;
    kind: 'fixed-price';
    priceCents: number;
    stock: number;
  }): Promise<{ id: string; title: string; priceCents: number; stock: number; kind: string }>;
}

export interface ListingOverrides {
  title?: string;
  description?: string;
  priceCents?: number;
  stock?: number;
}

/**
 * A fixed-price listing from a scanned purchase receipt ("sell what I bought"): the title is the
 * single item, or the merchant's name when the receipt lists several; the price is the total.
 * The seller may override any of them; a receipt with no readable total and no price given is
 * refused (422) rather than listed at a guessed price.
 */
export function listingFromReceipt(scan: ScanReceiptResponse, sellerId: string, overrides: ListingOverrides) {
  const priceCents = overrides.priceCents ?? scan.total.value;
  if (priceCents === null || priceCents <= 0) {
    throw new RuleViolationError('the receipt has no readable total; send priceCents', [
      { field: '/priceCents', message: 'required when the receipt has no total' },
    ]);
  }
  const items = scan.lines.map((l) => l.description);
  const derivedTitle = items.length === 1 ? items[0]! : scan.merchant.value ? `Purchase from ${scan.merchant.value}` : items[0];
  const title = overrides.title ?? derivedTitle;
  if (!title) {
    throw new RuleViolationError('the receipt has no readable item or merchant; send title', [
      { field: '/title', message: 'required when the receipt names no item' },
    ]);
  }
  const bought = [scan.merchant.value, scan.date.value].filter(Boolean).join(', ');
  const description =
    overrides.description ?? `Bought${bought ? ` (${bought})` : ''}: ${items.join('; ') || 'see the receipt'}.`.slice(0, 2000);
  return { sellerId, title: title.slice(0, 200), description, kind: 'fixed-price' as const, priceCents, stock: overrides.stock ?? 1 };
}
