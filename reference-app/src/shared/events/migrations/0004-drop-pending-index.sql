-- publication_pending_idx (consumer, id) WHERE status = 'pending' served the first claim query.
-- The claim now reads publication_pending_keyless_idx and publication_pending_key_idx only
-- (claim-query.ts), so on the hot path this index was one more entry written for every
-- publication and read by nothing (issue 16: 1.6 index inserts per bid). Its one other reader
-- was the admin listing of pending and failed rows (Publications.list), which now scans the
-- table: 33-42 ms instead of 1-8 ms with 200,000 publications kept (docs/events.md).
DROP INDEX IF EXISTS events.publication_pending_idx;
