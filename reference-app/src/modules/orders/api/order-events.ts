import type { EventBus } from '../../../shared/events/index.js';
import type { OrderEvents } from '../application/ports.js';
import { orderPlaced } from './events.js';

export function createOrderEvents(bus: EventBus): OrderEvents {
  return {
    async placed(tx, order) {
      const event = orderPlaced.create(
        {
          orderId: order.id,
          buyerId: order.buyerId,
          sellerId: order.sellerId,
          listingId: order.listingId,
          bidId: order.bidId,
          source: order.source,
          quantity: order.quantity,
          totalCents: order.totalCents,
          placedAt: order.createdAt.toISOString(),
        },
        order.id,
      );
      await bus.publish([event], tx);
    },
  };
}
