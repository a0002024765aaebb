import { Type, type Static } from '@sinclair/typebox';
import { Body, IdParams, Paging, StringEnum, Timestamp, Uuid } from '../../../shared/http/schemas.js';
import { LISTING_KINDS, MAX_STOCK } from '../domain/listing.js';

const Price = Type.Integer({ minimum: 1, maximum: 100_000_000 });

export const ListingIdParams = IdParams('listingId');

export const CreateListingBody = Body({
  title: Type.String({ minLength: 3, maxLength: 120 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  kind: StringEnum(LISTING_KINDS),
  /** The price of a fixed-price listing, or the starting price of an auction. */
  priceCents: Price,
  stock: Type.Integer({ minimum: 1, maximum: MAX_STOCK }),
});

export const RestockBody = Body({ quantity: Type.Integer({ minimum: 1, maximum: MAX_STOCK }) });

export const BrowseQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    kind: Type.Optional(StringEnum(LISTING_KINDS)),
    sellerId: Type.Optional(Uuid),
    ...Paging,
  },
  { additionalProperties: false },
);

export const ListingDto = Type.Object({
  id: Uuid,
  sellerId: Uuid,
  title: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  priceCents: Type.Integer(),
  stock: Type.Integer(),
  status: Type.String(),
  createdAt: Timestamp,
});
export type ListingDto = Static<typeof ListingDto>;
export const ListingList = Type.Array(ListingDto);
