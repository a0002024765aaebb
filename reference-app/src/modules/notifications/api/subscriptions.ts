import type { Static } from '@sinclair/typebox';
import { batchHandler, type DeliveredEvent, type EventBus } from '../../../shared/events/index.js';
import { bidOutbid, bidPlaced } from '../../bidding/index.js';
import { orderPlaced } from '../../orders/index.js';
import type { Notify } from '../application/notify.js';
import { newBidNotice, orderPlacedNotices, outbidNotice, type NotificationDraft } from '../domain/notification.js';

/** The consumer name of every notifications handler: its publication rows, inbox and placement (NOTIFICATIONS_RUN). */
export const NOTIFICATIONS_CONSUMER = 'notifications';

/**
 * The anti-corruption layer: other modules' event contracts in, our notices out. Registered
 * in every process that builds the module; whether this process RUNS them is the bus's
 * placement decision (in the app by default, or `npm run worker -- notifications`).
 *
 * One batching handler for the three types: the Postgres relay hands it each delivery's events
 * together, and all their notices are stored and sent with two statements (one by one, a bid's
 * two events cost four). Other buses call it an event at a time.
 */
export function subscribeNotifications(bus: EventBus, notify: Notify): void {
  const handler = batchHandler(async (events, tx) => {
    await notify(tx, events.flatMap(noticesOf));
  });
  for (const contract of [orderPlaced, bidOutbid, bidPlaced]) bus.subscribe(NOTIFICATIONS_CONSUMER, contract.type, handler);
}

/** The notices one event gives rise to, read through its contract's payload type. */
function noticesOf(event: DeliveredEvent): NotificationDraft[] {
  switch (event.type) {
    case orderPlaced.type: {
      const p = event.payload as Static<typeof orderPlaced.schema>;
      return orderPlacedNotices({ eventId: event.id, orderId: p.orderId, buyerId: p.buyerId, sellerId: p.sellerId, totalCents: p.totalCents });
    }
    case bidOutbid.type: {
      const p = event.payload as Static<typeof bidOutbid.schema>;
      return [
        outbidNotice({
          eventId: event.id,
          bidderId: p.outbidBidderId,
          listingId: p.listingId,
          outbidAmountCents: p.outbidAmountCents,
          newAmountCents: p.newAmountCents,
        }),
      ];
    }
    case bidPlaced.type: {
      const p = event.payload as Static<typeof bidPlaced.schema>;
      return [newBidNotice({ eventId: event.id, sellerId: p.sellerId, listingId: p.listingId, amountCents: p.amountCents })];
    }
    default:
      // Only subscribed types arrive here; an unknown one is a wiring bug, so the delivery fails.
      throw new Error(`notifications has no notices for event type ${event.type}`);
  }
}
