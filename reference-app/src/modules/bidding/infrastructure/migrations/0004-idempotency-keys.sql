-- Idempotency-Key of bid placement: a retried bid with the same key answers the bid the first
-- one stored (shared/idempotency.ts). Written in the bid's transaction.
CREATE TABLE bidding.idempotency_keys (
  bidder_id uuid NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  bid_id uuid NOT NULL REFERENCES bidding.bids (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bidder_id, key)
);
