import type { Order } from '../domain/order.js';
import type { OrderDto } from './schemas.js';

export function toOrderDto(order: Order): OrderDto {
  return { ...order, createdAt: order.createdAt.toISOString() };
}
