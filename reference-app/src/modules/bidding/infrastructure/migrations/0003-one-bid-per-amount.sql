-- Append-only bids race on a snapshot, so two bids of the same amount could both be stored
-- as placed (breaking "higher than the current price"). One live bid per amount per listing:
-- the second INSERT waits for the first to commit, then fails on this index and is refused.
-- Earlier equal duplicates (stored before this index) keep their first row; the later ones
-- are marked outbid, which they were.
UPDATE bidding.bids b SET status = 'outbid'
WHERE b.status IN ('placed', 'leading')
  AND EXISTS (
    SELECT 1 FROM bidding.bids e
    WHERE e.listing_id = b.listing_id AND e.amount_cents = b.amount_cents
      AND e.status IN ('placed', 'leading', 'accepted')
      AND (e.placed_at, e.id) < (b.placed_at, b.id)
  );
CREATE UNIQUE INDEX bids_one_per_amount ON bidding.bids (listing_id, amount_cents)
  WHERE status IN ('placed', 'leading', 'accepted');
