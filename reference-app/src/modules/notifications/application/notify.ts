import type { Tx } from '../../../shared/events/index.js';
import type { NotificationDraft } from '../domain/notification.js';
import type { NotificationSender, NotificationStore } from './ports.js';

/**
 * Stores the notices and sends the ones that are new; returns how many were new. Takes every
 * notice of a delivery at once (the relay batches a delivery's events, subscriptions.ts), so a
 * delivery costs two statements, not two per notice.
 */
export function notifyHandler(store: NotificationStore, sender: NotificationSender) {
  return async (tx: Tx, drafts: ReadonlyArray<NotificationDraft>): Promise<number> => {
    if (drafts.length === 0) return 0;
    const stored = await store.addAll(tx, drafts);
    if (stored.length > 0) await sender.send(stored, tx);
    return stored.length;
  };
}

export type Notify = ReturnType<typeof notifyHandler>;
