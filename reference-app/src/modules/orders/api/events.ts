import { Type } from '@sinclair/typebox';
import { defineEvent } from '../../../shared/events/index.js';

/** An order exists: from a checkout or from an accepted bid. Written in the order's transaction. */
export const orderPlaced = defineEvent({
  type: 'order.placed',
  version: 1,
  publisher: 'orders',
  schema: Type.Object({
    orderId: Type.String({ format: 'uuid' }),
    buyerId: Type.String({ format: 'uuid' }),
    sellerId: Type.String({ format: 'uuid' }),
    listingId: Type.String({ format: 'uuid' }),
    bidId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    source: Type.Union([Type.Literal('checkout'), Type.Literal('accepted-bid')]),
    quantity: Type.Integer({ minimum: 1 }),
    totalCents: Type.Integer({ minimum: 1 }),
    placedAt: Type.String(),
  }),
  subscribers: ['notifications'],
});
