-- Orders reference listings, bids and users by id only: those rows live in other modules'
-- schemas, and a module never holds a foreign key into another module's tables.
CREATE TABLE orders.orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  buyer_id uuid NOT NULL,
  seller_id uuid NOT NULL,
  listing_id uuid NOT NULL,
  bid_id uuid UNIQUE,
  source text NOT NULL CHECK (source IN ('checkout', 'accepted-bid')),
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents > 0),
  total_cents bigint NOT NULL CHECK (total_cents = unit_price_cents * quantity),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_by_buyer ON orders.orders (buyer_id, created_at DESC);
CREATE INDEX orders_by_seller ON orders.orders (seller_id, created_at DESC);
CREATE INDEX orders_newest ON orders.orders (created_at DESC);
