import type { Order } from '../domain/order.js';
import type { OrderRepository } from './ports.js';

type Page = { limit: number; offset: number };

export function listOrdersHandler(orders: OrderRepository) {
  return async function listOrders(filter: { buyerId?: string; sellerId?: string }, page: Page): Promise<Order[]> {
    return orders.list(filter, page);
  };
}
