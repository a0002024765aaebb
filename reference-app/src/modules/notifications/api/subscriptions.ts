import type { Static } from '@sinclair/typebox';
import type { EventBus } from '../../../shared/events/index.js';
import { bidOutbid, bidPlaced } from '../../bidding/index.js';
import { orderPlaced } from '../../orders/index.js';
import type { Notify } from '../application/notify.js';
import { newBidNotice, orderPlacedNotices, outbidNotice } from '../domain/notification.js';

/** The consumer name of every notifications handler: its publication rows, inbox and placement (NOTIFICATIONS_RUN). */
export const NOTIFICATIONS_CONSUMER = 'notifications';

/**
 * The anti-corruption layer: other modules' event contracts in, our notices out. Registered
 * in every process that builds the module; whether this process RUNS them is the bus's
 * placement decision (in the app by default, or `npm run worker -- notifications`).
 */
export function subscribeNotifications(bus: EventBus, notify: Notify): void {
  bus.subscribe<Static<typeof orderPlaced.schema>>(NOTIFICATIONS_CONSUMER, orderPlaced.type, async (event, tx) => {
    const p = event.payload;
    await notify(
      tx,
      orderPlacedNotices({ eventId: event.id, orderId: p.orderId, buyerId: p.buyerId, sellerId: p.sellerId, totalCents: p.totalCents }),
    );
  });
  bus.subscribe<Static<typeof bidOutbid.schema>>(NOTIFICATIONS_CONSUMER, bidOutbid.type, async (event, tx) => {
    const p = event.payload;
    await notify(tx, [
      outbidNotice({
        eventId: event.id,
        bidderId: p.outbidBidderId,
        listingId: p.listingId,
        outbidAmountCents: p.outbidAmountCents,
        newAmountCents: p.newAmountCents,
      }),
    ]);
  });
  bus.subscribe<Static<typeof bidPlaced.schema>>(NOTIFICATIONS_CONSUMER, bidPlaced.type, async (event, tx) => {
    const p = event.payload;
    await notify(tx, [newBidNotice({ eventId: event.id, sellerId: p.sellerId, listingId: p.listingId, amountCents: p.amountCents })]);
  });
}
