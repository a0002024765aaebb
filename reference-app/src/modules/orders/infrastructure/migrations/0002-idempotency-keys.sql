-- Idempotency-Key of checkouts: a retried request with the same key answers the order the
-- first one created (shared/idempotency.ts). Written in the order's transaction.
CREATE TABLE orders.idempotency_keys (
  buyer_id uuid NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  order_id uuid NOT NULL REFERENCES orders.orders (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (buyer_id, key)
);
