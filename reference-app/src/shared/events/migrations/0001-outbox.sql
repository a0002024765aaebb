-- The event bus's own tables (shared kernel, schema `events`).
-- Written to be idempotent, so both the app's migration runner and EventBus.ensureSchema()
-- can apply it without stepping on each other.
CREATE SCHEMA IF NOT EXISTS events;

-- One row per published event, written in the publisher's transaction.
CREATE TABLE IF NOT EXISTS events.event (
  id            uuid PRIMARY KEY,
  type          text        NOT NULL,
  version       integer     NOT NULL,
  key           text,
  payload       jsonb       NOT NULL,
  traceparent   text,
  published_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The publication registry: one row per (event, consumer), written with the event.
-- status: pending (waiting, running or retrying), completed, dead (dead-lettered).
CREATE TABLE IF NOT EXISTS events.publication (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id       uuid        NOT NULL REFERENCES events.event (id) ON DELETE CASCADE,
  consumer       text        NOT NULL,
  event_type     text        NOT NULL,
  key            text,
  status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'dead')),
  attempts       integer     NOT NULL DEFAULT 0,
  available_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  claimed_until  timestamptz,
  claim_token    uuid,
  last_error     text,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  completed_at   timestamptz,
  dead_at        timestamptz,
  UNIQUE (event_id, consumer)
);

-- The relay's claim scans only pending rows, oldest first.
CREATE INDEX IF NOT EXISTS publication_pending_idx
  ON events.publication (consumer, id) WHERE status = 'pending';
-- Per-key ordering: "is there an earlier pending row for this consumer and key?"
CREATE INDEX IF NOT EXISTS publication_pending_key_idx
  ON events.publication (consumer, key, id) WHERE status = 'pending' AND key IS NOT NULL;
CREATE INDEX IF NOT EXISTS publication_completed_idx
  ON events.publication (completed_at) WHERE status = 'completed';
CREATE INDEX IF NOT EXISTS publication_dead_idx
  ON events.publication (consumer, dead_at) WHERE status = 'dead';

-- The consumers' inbox: a handler's effects and this row commit together, so a redelivered
-- event (lease expiry, broker redelivery, resubmit) is recognised and skipped.
CREATE TABLE IF NOT EXISTS events.inbox (
  consumer    text        NOT NULL,
  event_id    uuid        NOT NULL,
  handled_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS inbox_handled_at_idx ON events.inbox (handled_at);
