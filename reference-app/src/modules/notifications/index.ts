// notifications' public surface: its composition root, the sender port a deployment may replace, and its consumer name.
export { createNotificationsModule, type NotificationsDeps, type NotificationsModule } from './api/module.js';
export { NOTIFICATIONS_CONSUMER } from './api/subscriptions.js';
export type { NotificationSender, StoredNotification } from './api/public-types.js';
