import type { Pool } from '../../../shared/db/pool.js';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../shared/errors.js';
import type { AuctionView, BidKeys, BidRepository } from '../application/ports.js';
import { BID_COLUMNS, toBid, type BidRow } from './bid-rows.js';

interface AuctionViewRow {
  listing_id: string;
  status: string;
  starting_price_cents: string;
  max_amount: string | null;
  bids: number;
  leading_bid_id: string | null;
}

export function createPgBidKeys(pool: Pool): BidKeys {
  return {
    async find(bidderId, key) {
      const { rows } = await pool.query<BidRow & { fingerprint: string; seller_id: string }>(
        `SELECT k.fingerprint, b.id, b.listing_id, b.bidder_id, b.amount_cents, b.status, b.placed_at, a.seller_id
         FROM bidding.idempotency_keys k
         JOIN bidding.bids b ON b.id = k.bid_id JOIN bidding.auctions a ON a.listing_id = b.listing_id
         WHERE k.bidder_id = $1 AND k.key = $2`,
        [bidderId, key],
      );
      const row = rows[0];
      // A replay answers the stored bid; who it overtook then is not kept.
      return row ? { fingerprint: row.fingerprint, result: { bid: toBid(row), sellerId: row.seller_id } } : undefined;
    },
    async remember(tx, { userId, key, fingerprint, resultId }) {
      await tx.query(
        'INSERT INTO bidding.idempotency_keys (bidder_id, key, fingerprint, bid_id) VALUES ($1, $2, $3, $4)',
        [userId, key, fingerprint, resultId],
      );
    },
  };
}

export function createPgBidRepository(pool: Pool): BidRepository {
  return {
    async openAuction({ listingId, sellerId, startingPriceCents }) {
      await pool.query(
        `INSERT INTO bidding.auctions (listing_id, seller_id, starting_price_cents) VALUES ($1, $2, $3)
         ON CONFLICT (listing_id) DO NOTHING`,
        [listingId, sellerId, startingPriceCents],
      );
    },
    async view(listingId) {
      // Derived from the bids, not from the auction row's cached price, so it reads the same
      // whichever strategy wrote the bids (append-only never updates the row).
      const { rows } = await pool.query<AuctionViewRow>(
        `SELECT a.listing_id, a.status, a.starting_price_cents, top.amount_cents AS max_amount, top.id AS leading_bid_id,
                (SELECT count(*)::int FROM bidding.bids b WHERE b.listing_id = a.listing_id) AS bids
         FROM bidding.auctions a
         LEFT JOIN LATERAL (
           SELECT id, amount_cents FROM bidding.bids b WHERE b.listing_id = a.listing_id
           ORDER BY amount_cents DESC, placed_at LIMIT 1
         ) top ON true
         WHERE a.listing_id = $1`,
        [listingId],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        listingId: row.listing_id,
        status: row.status,
        startingPriceCents: Number(row.starting_price_cents),
        currentPriceCents: Number(row.max_amount ?? 0),
        bidCount: row.bids,
        leadingBidId: row.leading_bid_id,
      } satisfies AuctionView;
    },
    async listByBidder(bidderId, { limit, offset }) {
      const { rows } = await pool.query<BidRow>(
        `SELECT ${BID_COLUMNS} FROM bidding.bids WHERE bidder_id = $1 ORDER BY placed_at DESC LIMIT $2 OFFSET $3`,
        [bidderId, limit, offset],
      );
      return rows.map(toBid);
    },
    async listForListing(listingId, { limit, offset }) {
      const { rows } = await pool.query<BidRow>(
        `SELECT ${BID_COLUMNS} FROM bidding.bids WHERE listing_id = $1
         ORDER BY amount_cents DESC, placed_at LIMIT $2 OFFSET $3`,
        [listingId, limit, offset],
      );
      return rows.map(toBid);
    },
    async sellerOf(listingId) {
      const { rows } = await pool.query<{ seller_id: string }>(
        'SELECT seller_id FROM bidding.auctions WHERE listing_id = $1',
        [listingId],
      );
      return rows[0]?.seller_id;
    },
    async acceptHighest(tx, bidId, sellerId) {
      // Lock the auction first: no locking-strategy bid can slip in between the check and the close.
      const { rows } = await tx.query<BidRow & { seller_id: string; auction_status: string }>(
        `SELECT b.id, b.listing_id, b.bidder_id, b.amount_cents, b.status, b.placed_at,
                a.seller_id, a.status AS auction_status
         FROM bidding.bids b JOIN bidding.auctions a ON a.listing_id = b.listing_id
         WHERE b.id = $1 FOR UPDATE OF a`,
        [bidId],
      );
      const row = rows[0];
      // Another seller's bid is reported as missing, so sellers cannot probe each other's ids.
      if (!row || row.seller_id !== sellerId) throw new NotFoundError('bid not found');
      if (row.auction_status !== 'open') throw new ConflictError('this auction is already closed');
      const top = await tx.query<{ id: string }>(
        `SELECT id FROM bidding.bids WHERE listing_id = $1 ORDER BY amount_cents DESC, placed_at LIMIT 1`,
        [row.listing_id],
      );
      if (top.rows[0]?.id !== bidId) throw new RuleViolationError('only the highest bid can be accepted');
      await tx.query(`UPDATE bidding.bids SET status = 'accepted' WHERE id = $1`, [bidId]);
      // Bumping the version makes every optimistic bid that read the open row fail its compare-and-set.
      await tx.query(
        `UPDATE bidding.auctions SET status = 'closed', closed_at = now(), version = version + 1 WHERE listing_id = $1`,
        [row.listing_id],
      );
      const bid = toBid(row);
      return { bidId, listingId: bid.listingId, bidderId: bid.bidderId, sellerId, amountCents: bid.amountCents };
    },
  };
}
