import { fileURLToPath } from 'node:url';
import { withTransaction } from '../../../shared/db/transaction.js';
import type { AppModule, ModuleDeps } from '../../../shared/module.js';
import { traced } from '../../../shared/tracing.js';
import type { BidDesk } from '../../bidding/index.js';
import type { ListingCatalog } from '../../catalog/index.js';
import { acceptBidIntoOrderHandler } from '../application/accept-bid-into-order.js';
import { checkOutHandler } from '../application/check-out.js';
import type { TransactionRunner } from '../application/ports.js';
import { listOrdersHandler } from '../application/queries.js';
import { createPgOrderKeys, createPgOrderRepository } from '../infrastructure/pg-order-repository.js';
import type { OrdersHandlers } from './handlers.js';
import { createOrderEvents } from './order-events.js';
import { adminRoutes } from './routes/admin.js';
import { consumerRoutes } from './routes/consumer.js';
import { sellerRoutes } from './routes/seller.js';

export type OrdersDeps = ModuleDeps & {
  /** catalog's public service: stock is taken inside the order's transaction. */
  catalog: Pick<ListingCatalog, 'takeStock'>;
  /** bidding's public service: the accepted bid is marked inside the order's transaction. */
  bidding: BidDesk;
};

/** Composition root of orders: checkouts and accepted bids become orders, atomically. */
export function createOrdersModule(deps: OrdersDeps): AppModule {
  const repository = createPgOrderRepository(deps.pool);
  const transaction: TransactionRunner = (work) => withTransaction(deps.pool, work);
  const events = createOrderEvents(deps.events);
  const handlers: OrdersHandlers = {
    acceptBidIntoOrder: traced(
      'orders',
      'AcceptBidIntoOrder',
      acceptBidIntoOrderHandler(transaction, deps.bidding, deps.catalog, repository, events),
    ),
    checkOut: traced('orders', 'CheckOut', checkOutHandler(transaction, deps.catalog, repository, events, createPgOrderKeys(deps.pool))),
    listOrders: traced('orders', 'ListOrders', listOrdersHandler(repository)),
  };
  return {
    name: 'orders',
    migrationsDir: fileURLToPath(new URL('../infrastructure/migrations', import.meta.url)),
    routes: { consumer: consumerRoutes(handlers), seller: sellerRoutes(handlers), admin: adminRoutes(handlers) },
  };
}
