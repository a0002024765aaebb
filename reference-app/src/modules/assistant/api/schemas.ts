import { Type } from '@sinclair/typebox';

/** Request bodies of the assistant's routes: the wire contract minus `cost`, which is configuration. */
export const EmbedRequest = Type.Object(
  {
    texts: Type.Array(Type.String({ minLength: 1, maxLength: 4000 }), { minItems: 1, maxItems: 32 }),
    dimensions: Type.Optional(Type.Integer({ minimum: 8, maximum: 1024 })),
  },
  { additionalProperties: false },
);

export const ScanReceiptRequest = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 20000 }) },
  { additionalProperties: false },
);

export const AssistantStatus = Type.Object({
  mode: Type.Union([Type.Literal('inline'), Type.Literal('pool'), Type.Literal('service')]),
  cost: Type.Integer(),
  service: Type.Union([Type.String(), Type.Null()]),
});
