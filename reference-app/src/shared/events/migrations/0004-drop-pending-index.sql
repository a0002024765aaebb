-- publication_pending_idx (consumer, id) WHERE status = 'pending' served the first claim query.
-- The claim now reads publication_pending_keyless_idx and publication_pending_key_idx only
-- (claim-query.ts), so this index was one more entry written for every publication and read by
-- nothing on the hot path (issue 16: 1.6 index inserts per bid). The admin views that list
-- pending rows filter and sort a handful of rows; they use the two remaining pending indexes
-- or the primary key.
DROP INDEX IF EXISTS events.publication_pending_idx;
