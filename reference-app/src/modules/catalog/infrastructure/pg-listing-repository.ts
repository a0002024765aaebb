import type { Pool } from '../../../shared/db/pool.js';
import type { Queryable } from '../../../shared/db/transaction.js';
import type { ListingRepository, ListingSearch } from '../application/ports.js';
import type { Listing, ListingKind, ListingStatus } from '../domain/listing.js';

interface ListingRow {
  id: string;
  seller_id: string;
  title: string;
  description: string;
  kind: ListingKind;
  price_cents: string;
  stock: number;
  status: ListingStatus;
  created_at: Date;
}

const COLUMNS = 'id, seller_id, title, description, kind, price_cents, stock, status, created_at';

function toListing(row: ListingRow): Listing {
  return {
    id: row.id,
    sellerId: row.seller_id,
    title: row.title,
    description: row.description,
    kind: row.kind,
    // bigint arrives as text; prices are capped far below 2^53 by the API schema.
    priceCents: Number(row.price_cents),
    stock: row.stock,
    status: row.status,
    createdAt: row.created_at,
  };
}

/** Builds the WHERE clause of a search with numbered parameters only (no value is ever spliced in). */
function searchFilter(query: ListingSearch): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (query.activeOnly) conditions.push(`status = 'active'`);
  if (query.text) add((n) => `search @@ websearch_to_tsquery('simple', $${n})`, query.text);
  if (query.kind) add((n) => `kind = $${n}`, query.kind);
  if (query.sellerId) add((n) => `seller_id = $${n}`, query.sellerId);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

export function createPgListingRepository(pool: Pool): ListingRepository {
  return {
    async insert(listing) {
      const { rows } = await pool.query<ListingRow>(
        `INSERT INTO catalog.listings (seller_id, title, description, kind, price_cents, stock)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [listing.sellerId, listing.title, listing.description, listing.kind, listing.priceCents, listing.stock],
      );
      return toListing(rows[0]!);
    },
    async findById(id, db: Queryable = pool) {
      const { rows } = await db.query<ListingRow>(`SELECT ${COLUMNS} FROM catalog.listings WHERE id = $1`, [id]);
      return rows[0] ? toListing(rows[0]) : undefined;
    },
    async search(query) {
      const { where, params } = searchFilter(query);
      const { rows } = await pool.query<ListingRow>(
        `SELECT ${COLUMNS} FROM catalog.listings ${where}
         ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, query.limit, query.offset],
      );
      return rows.map(toListing);
    },
    async addStock(id, sellerId, quantity, maxStock) {
      // The bound is part of the WHERE clause, so concurrent restocks re-check it after the row
      // lock and the sum never passes maxStock (nor int4); the owner condition hides other sellers' rows.
      const { rows } = await pool.query<ListingRow>(
        `UPDATE catalog.listings SET stock = stock + $3, status = 'active'
         WHERE id = $1 AND seller_id = $2 AND stock <= $4::int - $3::int RETURNING ${COLUMNS}`,
        [id, sellerId, quantity, maxStock],
      );
      return rows[0] ? toListing(rows[0]) : undefined;
    },
    async takeStock(db, id, quantity, kind) {
      // The WHERE clause is the whole concurrency story: the row lock the UPDATE takes makes
      // concurrent reservations queue, and each re-checks `stock >= quantity` after the wait.
      const { rows } = await db.query<ListingRow>(
        `UPDATE catalog.listings
         SET stock = stock - $2, status = CASE WHEN stock - $2 = 0 THEN 'sold-out' ELSE status END
         WHERE id = $1 AND kind = $3 AND status = 'active' AND stock >= $2
         RETURNING ${COLUMNS}`,
        [id, quantity, kind],
      );
      return rows[0] ? toListing(rows[0]) : undefined;
    },
  };
}
