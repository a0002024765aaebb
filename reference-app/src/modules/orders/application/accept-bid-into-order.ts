import { priceOrder, type Order } from '../domain/order.js';
import type { BidAcceptor, OrderEvents, OrderRepository, StockKeeper, TransactionRunner } from './ports.js';

/**
 * A seller accepts the highest bid: bid accepted and auction closed (bidding), one unit of
 * stock taken (catalog), the order written and `order.placed` published (orders), all in ONE
 * transaction. Any failure on the way rolls back every step: this is what running the three
 * modules in one process with one database buys over three services.
 */
export function acceptBidIntoOrderHandler(
  transaction: TransactionRunner,
  bids: BidAcceptor,
  stock: StockKeeper,
  orders: OrderRepository,
  events: OrderEvents,
) {
  return async function acceptBidIntoOrder(command: { bidId: string; sellerId: string }): Promise<Order> {
    return transaction(async (tx) => {
      const bid = await bids.acceptHighest(tx, command);
      await stock.takeStock(tx, { listingId: bid.listingId, quantity: 1, kind: 'auction' });
      const order = await orders.insert(
        tx,
        priceOrder({
          buyerId: bid.bidderId,
          sellerId: command.sellerId,
          listingId: bid.listingId,
          bidId: bid.bidId,
          source: 'accepted-bid',
          quantity: 1,
          unitPriceCents: bid.amountCents,
        }),
      );
      await events.placed(tx, order);
      return order;
    });
  };
}
