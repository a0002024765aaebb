import type { EventBus, OutgoingEvent } from '../../../shared/events/index.js';
import type { BidEvents } from '../application/ports.js';
import { bidOutbid, bidPlaced } from './events.js';

/** bidding's events, written on the bid's own transaction; keyed by listing so they arrive in bid order. */
export function createBidEvents(bus: EventBus): BidEvents {
  return {
    async placed(tx, { bid, sellerId, overtaken }) {
      const events: OutgoingEvent[] = [
        bidPlaced.create(
          {
            bidId: bid.id,
            listingId: bid.listingId,
            bidderId: bid.bidderId,
            sellerId,
            amountCents: bid.amountCents,
            placedAt: bid.placedAt.toISOString(),
          },
          bid.listingId,
        ),
      ];
      // Outbidding yourself is not news.
      if (overtaken && overtaken.bidderId !== bid.bidderId) {
        events.push(
          bidOutbid.create(
            {
              listingId: bid.listingId,
              outbidBidId: overtaken.bidId,
              outbidBidderId: overtaken.bidderId,
              outbidAmountCents: overtaken.amountCents,
              newAmountCents: bid.amountCents,
            },
            bid.listingId,
          ),
        );
      }
      await bus.publish(events, tx);
    },
  };
}
