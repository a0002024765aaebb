import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrdersHandlers } from '../handlers.js';
import { toOrderDto } from '../order-dto.js';
import { OrderList, PageQuery } from '../schemas.js';

export function adminRoutes(orders: OrdersHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/orders',
      {
        config: { auth: { context: 'admin', permission: 'orders:read' } },
        schema: { querystring: PageQuery, response: { 200: OrderList } },
      },
      async (request) => {
        const { limit = 20, offset = 0 } = request.query;
        return (await orders.listOrders({}, { limit, offset })).map(toOrderDto);
      },
    );
  };
}
