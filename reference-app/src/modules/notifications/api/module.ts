import { fileURLToPath } from 'node:url';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import { notifyHandler } from '../application/notify.js';
import type { NotificationSender, NotificationStore } from '../application/ports.js';
import { createPgNotificationStore } from '../infrastructure/pg-notification-store.js';
import { createRecordingSender } from '../infrastructure/recording-sender.js';
import { consumerRoutes } from './routes/consumer.js';
import { sellerRoutes } from './routes/seller.js';
import { subscribeNotifications } from './subscriptions.js';

export interface NotificationsDeps extends ModuleDeps {
  /** The channel; default records deliveries in `notifications.delivery` and the log. */
  sender?: NotificationSender;
}

export interface NotificationsModule extends AppModule {
  store: NotificationStore;
}

/**
 * Composition root of notifications: tells buyers, sellers and bidders what happened to
 * them, from orders' and bidding's events. It has no synchronous callers, which is why it is
 * the first candidate for its own process (ADR 0008): the same handlers run in the app or
 * in `npm run worker -- notifications`, chosen by NOTIFICATIONS_RUN.
 */
export function createNotificationsModule(deps: NotificationsDeps): NotificationsModule {
  const store = createPgNotificationStore(deps.pool);
  const sender = deps.sender ?? createRecordingSender(deps.logger);
  subscribeNotifications(deps.events, notifyHandler(store, sender));
  return {
    name: 'notifications',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: { consumer: consumerRoutes(store), seller: sellerRoutes(store) },
    store,
  };
}
