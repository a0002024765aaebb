import type { Tx } from '../../../shared/events/index.js';
import type { NotificationDraft } from '../domain/notification.js';

export interface StoredNotification extends NotificationDraft {
  id: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface NotificationStore {
  /**
   * Inserts the drafts in the handler's transaction with one statement; returns the ones that
   * are new, in draft order (a notice that already exists is left out).
   */
  addAll(tx: Tx, drafts: ReadonlyArray<NotificationDraft>): Promise<StoredNotification[]>;
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
  /** Hands over the new notifications of one delivery (one or more), in order. */
  send(notifications: ReadonlyArray<StoredNotification>, tx: Tx): Promise<void>;
}
