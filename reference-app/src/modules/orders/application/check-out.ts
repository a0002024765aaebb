import { assertNotOwnListing, priceOrder, type Order } from '../domain/order.js';
import type { OrderEvents, OrderRepository, StockKeeper, TransactionRunner } from './ports.js';

/** A consumer buys a fixed-price listing: stock taken, order written, event published, one transaction. */
export function checkOutHandler(
  transaction: TransactionRunner,
  stock: StockKeeper,
  orders: OrderRepository,
  events: OrderEvents,
) {
  return async function checkOut(command: { buyerId: string; listingId: string; quantity: number }): Promise<Order> {
    return transaction(async (tx) => {
      const listing = await stock.takeStock(tx, {
        listingId: command.listingId,
        quantity: command.quantity,
        kind: 'fixed-price',
      });
      // Checked after taking stock so the common path is one statement; the throw rolls it back.
      assertNotOwnListing(command.buyerId, listing.sellerId);
      const order = await orders.insert(
        tx,
        priceOrder({
          buyerId: command.buyerId,
          sellerId: listing.sellerId,
          listingId: command.listingId,
          bidId: null,
          source: 'checkout',
          quantity: command.quantity,
          unitPriceCents: listing.priceCents,
        }),
      );
      await events.placed(tx, order);
      return order;
    });
  };
}
