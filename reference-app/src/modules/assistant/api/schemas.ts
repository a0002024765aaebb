import { Type } from '@sinclair/typebox';
import { ScanReceiptResponse } from '../../../shared/services/index.js';
import { ImageJson } from './image-intake.js';

/** Request bodies of the assistant's routes: the wire contract minus `cost`, which is configuration. */
export const EmbedRequest = Type.Object(
  {
    texts: Type.Array(Type.String({ minLength: 1, maxLength: 4000 }), { minItems: 1, maxItems: 32 }),
    dimensions: Type.Optional(Type.Integer({ minimum: 8, maximum: 1024 })),
  },
  { additionalProperties: false },
);

/** `{ image: base64 }` as JSON, or multipart/form-data with a file field `image` (turned into the same body). */
export const ScanReceiptRequest = ImageJson;

export const ListingFromReceiptRequest = Type.Object(
  {
    image: ImageJson.properties.image,
    title: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    priceCents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    stock: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

export const ListingFromReceiptResponse = Type.Object({
  listing: Type.Object({
    id: Type.String(),
    title: Type.String(),
    kind: Type.String(),
    priceCents: Type.Integer(),
    stock: Type.Integer(),
  }),
  scan: ScanReceiptResponse,
});

export const AssistantStatus = Type.Object({
  mode: Type.Union([Type.Literal('inline'), Type.Literal('pool'), Type.Literal('service')]),
  cost: Type.Integer(),
  service: Type.Union([Type.String(), Type.Null()]),
});
