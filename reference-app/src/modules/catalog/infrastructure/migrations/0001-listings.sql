-- Sellers' listings and their stock. Stock only changes through conditional UPDATEs
-- (never below zero), so concurrent checkouts cannot oversell.
CREATE TABLE catalog.listings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seller_id uuid NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('fixed-price', 'auction')),
  price_cents bigint NOT NULL CHECK (price_cents > 0),
  stock integer NOT NULL CHECK (stock >= 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'sold-out')),
  created_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || description)) STORED
);

-- Browse: newest active listings first.
CREATE INDEX listings_active_newest ON catalog.listings (created_at DESC, id) WHERE status = 'active';
-- A seller's own listings.
CREATE INDEX listings_by_seller ON catalog.listings (seller_id, created_at DESC);
-- Full-text search over title and description.
CREATE INDEX listings_search ON catalog.listings USING gin (search);
