-- One row per auctioned listing: the hot row concurrent bids contend for. Starting price
-- and seller are copied from catalog when the first bid arrives, so a bid never reads
-- another module's tables.
CREATE TABLE bidding.auctions (
  listing_id uuid PRIMARY KEY,
  seller_id uuid NOT NULL,
  starting_price_cents bigint NOT NULL CHECK (starting_price_cents > 0),
  current_price_cents bigint NOT NULL DEFAULT 0,
  leading_bid_id uuid,
  leading_bidder_id uuid,
  bid_count integer NOT NULL DEFAULT 0,
  -- Only the optimistic strategy reads it; the others leave it alone.
  version integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at timestamptz
);

CREATE TABLE bidding.bids (
  id uuid PRIMARY KEY,
  listing_id uuid NOT NULL REFERENCES bidding.auctions (listing_id),
  bidder_id uuid NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  status text NOT NULL CHECK (status IN ('leading', 'outbid', 'placed', 'accepted')),
  placed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The append-only strategy derives the current price as max(amount): this index answers it.
CREATE INDEX bids_by_listing_amount ON bidding.bids (listing_id, amount_cents DESC, placed_at);
CREATE INDEX bids_by_bidder ON bidding.bids (bidder_id, placed_at DESC);
-- The locking strategies keep exactly one leader per listing; the database enforces it.
CREATE UNIQUE INDEX bids_one_leader ON bidding.bids (listing_id) WHERE status = 'leading';
