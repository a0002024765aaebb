import { Type, type Static } from '@sinclair/typebox';
import { AmountCents, Body, IdParams, Paging, Timestamp, Uuid } from '../../../shared/http/schemas.js';

export const ListingIdParams = IdParams('listingId');
export const PlaceBidBody = Body({ amountCents: AmountCents });
export const PageQuery = Type.Object(Paging, { additionalProperties: false });

export const BidDto = Type.Object({
  id: Uuid,
  listingId: Uuid,
  bidderId: Uuid,
  amountCents: Type.Integer(),
  status: Type.String(),
  placedAt: Timestamp,
});
export type BidDto = Static<typeof BidDto>;
export const BidList = Type.Array(BidDto);

export const PlacedBidDto = Type.Object({
  bid: BidDto,
  /** Whether this bid took the lead from someone else. */
  overtookBidId: Type.Union([Uuid, Type.Null()]),
});

export const AuctionDto = Type.Object({
  listingId: Uuid,
  status: Type.String(),
  startingPriceCents: Type.Integer(),
  currentPriceCents: Type.Integer(),
  bidCount: Type.Integer(),
  leadingBidId: Type.Union([Uuid, Type.Null()]),
});
