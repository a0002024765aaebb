import { Type, type Static } from '@sinclair/typebox';
import { Body, IdempotencyHeaders, IdParams, Paging, Timestamp, Uuid } from '../../../shared/http/schemas.js';

export { IdempotencyHeaders };

export const CheckOutBody = Body({ listingId: Uuid, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) });
export const BidIdParams = IdParams('bidId');
export const PageQuery = Type.Object(Paging, { additionalProperties: false });

export const OrderDto = Type.Object({
  id: Uuid,
  buyerId: Uuid,
  sellerId: Uuid,
  listingId: Uuid,
  bidId: Type.Union([Uuid, Type.Null()]),
  source: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  totalCents: Type.Integer(),
  createdAt: Timestamp,
});
export type OrderDto = Static<typeof OrderDto>;
export const OrderList = Type.Array(OrderDto);
