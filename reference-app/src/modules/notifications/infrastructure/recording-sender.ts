import type { FastifyBaseLogger } from 'fastify';
import type { NotificationSender } from '../application/ports.js';

/**
 * The default channel: records the hand-over in `notifications.delivery` (in the handler's
 * transaction, so exactly once) and logs it. A real channel implements the same interface.
 */
export function createRecordingSender(logger: Pick<FastifyBaseLogger, 'info'>): NotificationSender {
  return {
    channel: 'log',
    async send(notifications, tx) {
      await tx.query(
        `INSERT INTO notifications.delivery (notification_id, channel) SELECT id, 'log' FROM unnest($1::uuid[]) AS n(id)
         ON CONFLICT ON CONSTRAINT delivery_once DO NOTHING`,
        [notifications.map((n) => n.id)],
      );
      for (const n of notifications) {
        logger.info({ notificationId: n.id, recipientId: n.recipientId, kind: n.kind }, `notification: ${n.title}`);
      }
    },
  };
}
