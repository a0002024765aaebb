import type { Queryable, Tx } from '../../../shared/db/transaction.js';
import type { IdempotencyKeys } from '../../../shared/idempotency.js';
import type { Order } from '../domain/order.js';

/** Checkout Idempotency-Keys, stored in orders' schema. */
export type OrderKeys = IdempotencyKeys<Order>;

export interface OrderRepository {
  insert(tx: Tx, order: Omit<Order, 'id' | 'createdAt'>): Promise<Order>;
  list(
    filter: { buyerId?: string; sellerId?: string },
    page: { limit: number; offset: number },
    db?: Queryable,
  ): Promise<Order[]>;
}

/** What orders needs from catalog (adapted from catalog's public service in api/module.ts). */
export interface StockKeeper {
  takeStock(
    tx: Tx,
    command: { listingId: string; quantity: number; kind: 'fixed-price' | 'auction' },
  ): Promise<{ sellerId: string; priceCents: number }>;
}

/** What orders needs from bidding. */
export interface BidAcceptor {
  acceptHighest(
    tx: Tx,
    command: { bidId: string; sellerId: string },
  ): Promise<{ bidId: string; listingId: string; bidderId: string; amountCents: number }>;
}

/** Publishes `order.placed` on the order's transaction. */
export interface OrderEvents {
  placed(tx: Tx, order: Order): Promise<void>;
}

/** Runs work in one database transaction (the kernel's withTransaction, bound to the pool). */
export type TransactionRunner = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
