import type pg from 'pg';
import type { NotificationStore, StoredNotification } from '../application/ports.js';
import type { NotificationKind } from '../domain/notification.js';

interface Row {
  id: string;
  recipient_id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  subject_type: 'listing' | 'order';
  subject_id: string;
  source_event_id: string;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id, recipient_id, kind, title, body, subject_type, subject_id, source_event_id, created_at, read_at';

function toNotification(r: Row): StoredNotification {
  return {
    id: r.id,
    recipientId: r.recipient_id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    subject: { type: r.subject_type, id: r.subject_id },
    sourceEventId: r.source_event_id,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

export function createPgNotificationStore(pool: pg.Pool): NotificationStore {
  return {
    async addAll(tx, drafts) {
      // One statement for the whole batch; ON CONFLICT skips a notice stored by an earlier
      // delivery (and a repeat within the batch). WITH ORDINALITY keeps the drafts' order.
      const { rows } = await tx.query<Row>(
        `INSERT INTO notifications.notification (recipient_id, kind, title, body, subject_type, subject_id, source_event_id)
         SELECT recipient_id, kind, title, body, subject_type, subject_id, source_event_id
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[])
                WITH ORDINALITY AS d(recipient_id, kind, title, body, subject_type, subject_id, source_event_id, n)
          ORDER BY n
         ON CONFLICT ON CONSTRAINT notification_once DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          drafts.map((d) => d.recipientId),
          drafts.map((d) => d.kind),
          drafts.map((d) => d.title),
          drafts.map((d) => d.body),
          drafts.map((d) => d.subject.type),
          drafts.map((d) => d.subject.id),
          drafts.map((d) => d.sourceEventId),
        ],
      );
      return rows.map(toNotification);
    },
    async listFor(recipientId, page) {
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM notifications.notification WHERE recipient_id = $1
          ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
        [recipientId, page.limit, page.offset],
      );
      return rows.map(toNotification);
    },
    async markRead(recipientId, id) {
      const { rowCount } = await pool.query(
        `UPDATE notifications.notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_id = $2`,
        [id, recipientId],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
