import { runOnce } from '../../../shared/idempotency.js';
import { assertNotOwnListing, priceOrder, type Order } from '../domain/order.js';
import type { OrderEvents, OrderKeys, OrderRepository, StockKeeper, TransactionRunner } from './ports.js';

/** A consumer buys a fixed-price listing: stock taken, order written, event published, one transaction. */
export function checkOutHandler(
  transaction: TransactionRunner,
  stock: StockKeeper,
  orders: OrderRepository,
  events: OrderEvents,
  keys: OrderKeys,
) {
  return async function checkOut(command: {
    buyerId: string;
    listingId: string;
    quantity: number;
    /** With a key, a retry answers the first checkout's order instead of buying again. */
    idempotencyKey?: string;
  }): Promise<Order> {
    const request = {
      userId: command.buyerId,
      key: command.idempotencyKey,
      fingerprint: `checkout:${command.listingId}:${command.quantity}`,
    };
    return runOnce(keys, request, (remember) => transaction(async (tx) => {
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
      await remember(tx, order.id);
      return order;
    }));
  };
}
