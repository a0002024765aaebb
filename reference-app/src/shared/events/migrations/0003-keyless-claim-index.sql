-- The relay claims keyless and keyed publications separately (claim.ts): keyless ones oldest
-- first per consumer from this index; keyed ones by skipping from key to key over
-- publication_pending_key_idx. Neither walks the backlog, so a claim costs the same with
-- 60 or 60,000 pending.
CREATE INDEX IF NOT EXISTS publication_pending_keyless_idx
  ON events.publication (consumer, id) WHERE status = 'pending' AND key IS NULL;
