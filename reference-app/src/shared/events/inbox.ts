import type { DeliveredEvent, EventHandler, Tx } from './event-bus.js';

/**
 * Runs a handler inside `tx` at most once per (consumer, event id): the inbox row and the
 * handler's effects commit or roll back together, so a redelivered event is a no-op.
 * Returns false when the event was already handled.
 */
export async function handleOnce(tx: Tx, consumer: string, event: DeliveredEvent, handler: EventHandler): Promise<boolean> {
  const inserted = await tx.query(
    'INSERT INTO events.inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [consumer, event.id],
  );
  if (inserted.rowCount === 0) return false;
  await handler(event, tx);
  return true;
}
