import { Type } from '@sinclair/typebox';
import { defineEvent } from '../../../shared/events/index.js';

/** A bid was recorded on an auction listing. */
export const bidPlaced = defineEvent({
  type: 'bid.placed',
  version: 1,
  publisher: 'bidding',
  schema: Type.Object({
    bidId: Type.String({ format: 'uuid' }),
    listingId: Type.String({ format: 'uuid' }),
    bidderId: Type.String({ format: 'uuid' }),
    sellerId: Type.String({ format: 'uuid' }),
    amountCents: Type.Integer({ minimum: 1 }),
    placedAt: Type.String(),
  }),
  subscribers: ['notifications'],
});

/** A bidder lost the lead on a listing to a higher bid. */
export const bidOutbid = defineEvent({
  type: 'bid.outbid',
  version: 1,
  publisher: 'bidding',
  schema: Type.Object({
    listingId: Type.String({ format: 'uuid' }),
    outbidBidId: Type.String({ format: 'uuid' }),
    outbidBidderId: Type.String({ format: 'uuid' }),
    outbidAmountCents: Type.Integer({ minimum: 1 }),
    newAmountCents: Type.Integer({ minimum: 1 }),
  }),
  subscribers: ['notifications'],
});
