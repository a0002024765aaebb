import type { Bid } from '../domain/bid.js';
import type { BidDto } from './schemas.js';

export function toBidDto(bid: Bid): BidDto {
  return { ...bid, placedAt: bid.placedAt.toISOString() };
}
