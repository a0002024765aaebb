-- The foreign key from publication to event cost a row lock (FOR KEY SHARE) on the event per
-- publication written, inside the publisher's transaction. Both rows are written by the same
-- statement and pruned by the bus, so the bus keeps them consistent itself.
ALTER TABLE events.publication DROP CONSTRAINT IF EXISTS publication_event_id_fkey;
