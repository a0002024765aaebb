import type { acceptBidIntoOrderHandler } from '../application/accept-bid-into-order.js';
import type { checkOutHandler } from '../application/check-out.js';
import type { listOrdersHandler } from '../application/queries.js';

/** orders' use cases, already wrapped in spans. */
export interface OrdersHandlers {
  acceptBidIntoOrder: ReturnType<typeof acceptBidIntoOrderHandler>;
  checkOut: ReturnType<typeof checkOutHandler>;
  listOrders: ReturnType<typeof listOrdersHandler>;
}
