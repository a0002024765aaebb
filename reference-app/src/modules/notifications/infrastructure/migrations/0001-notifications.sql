-- What the notifications module told whom. One row per (source event, recipient, kind): the
-- unique key makes a replayed event (resubmit, broker redelivery) a no-op here too.
CREATE TABLE notifications.notification (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_id     uuid        NOT NULL,
  kind             text        NOT NULL,
  title            text        NOT NULL,
  body             text        NOT NULL,
  subject_type     text        NOT NULL CHECK (subject_type IN ('listing', 'order')),
  subject_id       uuid        NOT NULL,
  source_event_id  uuid        NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  read_at          timestamptz,
  CONSTRAINT notification_once UNIQUE (source_event_id, recipient_id, kind)
);
CREATE INDEX notification_recipient_idx ON notifications.notification (recipient_id, created_at DESC);

-- Hand-overs to a channel, as recorded by the sender (the default sender only records).
CREATE TABLE notifications.delivery (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id  uuid        NOT NULL REFERENCES notifications.notification (id) ON DELETE CASCADE,
  channel          text        NOT NULL,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT delivery_once UNIQUE (notification_id, channel)
);
