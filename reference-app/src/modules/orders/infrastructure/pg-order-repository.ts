import type { Pool } from '../../../shared/db/pool.js';
import type { Queryable } from '../../../shared/db/transaction.js';
import type { OrderKeys, OrderRepository } from '../application/ports.js';
import type { Order, OrderSource } from '../domain/order.js';

interface OrderRow {
  id: string;
  buyer_id: string;
  seller_id: string;
  listing_id: string;
  bid_id: string | null;
  source: OrderSource;
  quantity: number;
  unit_price_cents: string;
  total_cents: string;
  created_at: Date;
}

const COLUMNS =
  'id, buyer_id, seller_id, listing_id, bid_id, source, quantity, unit_price_cents, total_cents, created_at';

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
    listingId: row.listing_id,
    bidId: row.bid_id,
    source: row.source,
    quantity: row.quantity,
    unitPriceCents: Number(row.unit_price_cents),
    totalCents: Number(row.total_cents),
    createdAt: row.created_at,
  };
}

export function createPgOrderKeys(pool: Pool): OrderKeys {
  return {
    async find(buyerId, key) {
      const { rows } = await pool.query<OrderRow & { fingerprint: string }>(
        `SELECT k.fingerprint, ${COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}
         FROM orders.idempotency_keys k JOIN orders.orders o ON o.id = k.order_id
         WHERE k.buyer_id = $1 AND k.key = $2`,
        [buyerId, key],
      );
      return rows[0] ? { fingerprint: rows[0].fingerprint, result: toOrder(rows[0]) } : undefined;
    },
    async remember(tx, { userId, key, fingerprint, resultId }) {
      await tx.query(
        'INSERT INTO orders.idempotency_keys (buyer_id, key, fingerprint, order_id) VALUES ($1, $2, $3, $4)',
        [userId, key, fingerprint, resultId],
      );
    },
  };
}

export function createPgOrderRepository(pool: Pool): OrderRepository {
  return {
    async insert(tx, order) {
      const { rows } = await tx.query<OrderRow>(
        `INSERT INTO orders.orders (buyer_id, seller_id, listing_id, bid_id, source, quantity, unit_price_cents, total_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [
          order.buyerId,
          order.sellerId,
          order.listingId,
          order.bidId,
          order.source,
          order.quantity,
          order.unitPriceCents,
          order.totalCents,
        ],
      );
      return toOrder(rows[0]!);
    },
    async list(filter, { limit, offset }, db: Queryable = pool) {
      // $1/$2 are NULL when not filtering, so one statement (and one plan per shape) serves all three views.
      const { rows } = await db.query<OrderRow>(
        `SELECT ${COLUMNS} FROM orders.orders
         WHERE ($1::uuid IS NULL OR buyer_id = $1) AND ($2::uuid IS NULL OR seller_id = $2)
         ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
        [filter.buyerId ?? null, filter.sellerId ?? null, limit, offset],
      );
      return rows.map(toOrder);
    },
  };
}
