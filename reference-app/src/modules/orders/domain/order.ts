import { RuleViolationError } from '../../../shared/errors.js';

/** How an order came to be: a consumer bought at the fixed price, or a seller accepted a bid. */
export type OrderSource = 'checkout' | 'accepted-bid';

export interface Order {
  id: string;
  buyerId: string;
  sellerId: string;
  listingId: string;
  bidId: string | null;
  source: OrderSource;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
  createdAt: Date;
}

export type NewOrder = Omit<Order, 'id' | 'createdAt' | 'totalCents'>;

/** Totals stay exact integers: refuse anything past 2^53 rather than round money. */
export function priceOrder(order: NewOrder): Omit<Order, 'id' | 'createdAt'> {
  const totalCents = order.unitPriceCents * order.quantity;
  if (!Number.isSafeInteger(totalCents)) throw new RuleViolationError('order total is too large');
  return { ...order, totalCents };
}

export function assertNotOwnListing(buyerId: string, sellerId: string): void {
  if (buyerId === sellerId) throw new RuleViolationError('you cannot buy your own listing');
}
