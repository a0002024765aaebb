import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrdersHandlers } from '../handlers.js';
import { toOrderDto } from '../order-dto.js';
import { CheckOutBody, IdempotencyHeaders, OrderDto, OrderList, PageQuery } from '../schemas.js';

export function consumerRoutes(orders: OrdersHandlers): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Buy a fixed-price listing now.
    app.post(
      '/orders',
      {
        config: { auth: { context: 'consumer', permission: 'orders:write' } },
        schema: { body: CheckOutBody, headers: IdempotencyHeaders, response: { 201: OrderDto } },
      },
      async (request, reply) => {
        const order = await orders.checkOut({
          ...request.body,
          buyerId: request.consumer.userId,
          idempotencyKey: request.headers['idempotency-key'],
        });
        return reply.status(201).send(toOrderDto(order));
      },
    );
    app.get(
      '/orders',
      {
        config: { auth: { context: 'consumer', permission: 'orders:read' } },
        schema: { querystring: PageQuery, response: { 200: OrderList } },
      },
      async (request) => {
        const { limit = 20, offset = 0 } = request.query;
        return (await orders.listOrders({ buyerId: request.consumer.userId }, { limit, offset })).map(toOrderDto);
      },
    );
  };
}
