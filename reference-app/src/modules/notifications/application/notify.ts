import type { Tx } from '../../../shared/events/index.js';
import type { NotificationDraft } from '../domain/notification.js';
import type { NotificationSender, NotificationStore } from './ports.js';

/** Stores each notice and sends the ones that are new; returns how many were new. */
export function notifyHandler(store: NotificationStore, sender: NotificationSender) {
  return async (tx: Tx, drafts: ReadonlyArray<NotificationDraft>): Promise<number> => {
    let fresh = 0;
    for (const draft of drafts) {
      const stored = await store.add(tx, draft);
      if (!stored) continue;
      await sender.send(stored, tx);
      fresh++;
    }
    return fresh;
  };
}

export type Notify = ReturnType<typeof notifyHandler>;
