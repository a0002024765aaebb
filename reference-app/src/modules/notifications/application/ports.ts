import type { Tx } from '../../../shared/events/index.js';
import type { NotificationDraft } from '../domain/notification.js';

export interface StoredNotification extends NotificationDraft {
  id: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationStore {
  /** Inserts in the handler's transaction; returns undefined when this notice already exists. */
  add(tx: Tx, draft: NotificationDraft): Promise<StoredNotification | undefined>;
  listFor(recipientId: string, page: { limit: number; offset: number }): Promise<StoredNotification[]>;
  markRead(recipientId: string, id: string): Promise<boolean>;
}

/**
 * Hands a notification to a channel (e-mail, push, ...). Called inside the handler's
 * transaction: a sender that writes to the database (the default) is exactly-once with the
 * notification; one that calls out (SMTP, a push API) is at-least-once and should pass the
 * notification id to the provider as an idempotency key.
 */
export interface NotificationSender {
  readonly channel: string;
  send(notification: StoredNotification, tx: Tx): Promise<void>;
}
