import { Type, type Static } from '@sinclair/typebox';

/**
 * The wire contract of the models service. The monolith's typed client, the service's own
 * routes and the in-process execution modes all use these schemas, so "the same task" means
 * the same input and output shape whichever way it runs.
 */

/** Upper bound on work per call: keeps one request from pinning a core for minutes. */
export const MAX_COMPUTE_COST = 5000;

const cost = Type.Integer({
  minimum: 1,
  maximum: MAX_COMPUTE_COST,
  description: 'Projection rounds; CPU time grows linearly with it (see docs/extracting-a-service.md).',
});

export const EmbedBody = Type.Object(
  {
    texts: Type.Array(Type.String({ minLength: 1, maxLength: 4000 }), { minItems: 1, maxItems: 32 }),
    dimensions: Type.Optional(Type.Integer({ minimum: 8, maximum: 1024 })),
    cost: Type.Optional(cost),
  },
  { additionalProperties: false },
);
export type EmbedBody = Static<typeof EmbedBody>;

export const EmbedResponse = Type.Object({
  model: Type.String(),
  dimensions: Type.Integer(),
  cost: Type.Integer(),
  vectors: Type.Array(Type.Array(Type.Number())),
});
export type EmbedResponse = Static<typeof EmbedResponse>;

export const ExtractBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 20000 }),
    cost: Type.Optional(cost),
  },
  { additionalProperties: false },
);
export type ExtractBody = Static<typeof ExtractBody>;

export const ReceiptLine = Type.Object({ description: Type.String(), amountCents: Type.Integer() });

export const ExtractResponse = Type.Object({
  model: Type.String(),
  merchant: Type.Union([Type.String(), Type.Null()]),
  date: Type.Union([Type.String(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  totalCents: Type.Union([Type.Integer(), Type.Null()]),
  lines: Type.Array(ReceiptLine),
  category: Type.String(),
  categoryScore: Type.Number(),
});
export type ExtractResponse = Static<typeof ExtractResponse>;
