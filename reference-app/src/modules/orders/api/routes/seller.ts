import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrdersHandlers } from '../handlers.js';
import { toOrderDto } from '../order-dto.js';
import { BidIdParams, OrderDto, OrderList, PageQuery } from '../schemas.js';

export function sellerRoutes(orders: OrdersHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Accepting a bid creates the order; the route lives in orders because orders owns the transaction.
    app.post(
      '/bids/:bidId/acceptance',
      {
        config: { auth: { context: 'seller', permission: 'bids:accept' } },
        schema: { params: BidIdParams, response: { 201: OrderDto } },
      },
      async (request, reply) => {
        const order = await orders.acceptBidIntoOrder({ bidId: request.params.bidId, sellerId: request.seller.userId });
        return reply.status(201).send(toOrderDto(order));
      },
    );
    app.get(
      '/orders',
      {
        config: { auth: { context: 'seller', permission: 'orders:read' } },
        schema: { querystring: PageQuery, response: { 200: OrderList } },
      },
      async (request) => {
        const { limit = 20, offset = 0 } = request.query;
        return (await orders.listOrders({ sellerId: request.seller.userId }, { limit, offset })).map(toOrderDto);
      },
    );
  };
}
