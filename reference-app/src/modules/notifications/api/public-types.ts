// Types a deployment needs to plug in another channel (e-mail, push) without reaching into the module.
export type { NotificationSender, StoredNotification } from '../application/ports.js';
