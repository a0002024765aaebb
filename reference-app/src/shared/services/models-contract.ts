import { Type, type Static, type TSchema } from '@sinclair/typebox';

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

/** Largest receipt image accepted, in bytes (the monolith's route and the service both enforce it). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Largest receipt image accepted, in decoded pixels: a small file declaring more is a decompression bomb. */
export const MAX_IMAGE_PIXELS = 24_000_000;

export const ScanReceiptBody = Type.Object(
  {
    /** The image file (PNG, JPEG or WebP), base64. */
    image: Type.String({ minLength: 1, maxLength: Math.ceil(MAX_IMAGE_BYTES / 3) * 4 }),
  },
  { additionalProperties: false },
);
export type ScanReceiptBody = Static<typeof ScanReceiptBody>;

const confidence = Type.Number({ minimum: 0, maximum: 1, description: 'OCR line confidence x rule certainty' });
const field = <T extends TSchema>(value: T) => Type.Object({ value: Type.Union([value, Type.Null()]), confidence });

export const ScanReceiptResponse = Type.Object({
  engine: Type.String(),
  preprocess: Type.String(),
  merchant: field(Type.String()),
  date: field(Type.String({ description: 'ISO 8601 date' })),
  currency: field(Type.String({ description: 'ISO 4217 code' })),
  total: field(Type.Integer({ description: 'minor units (cents)' })),
  category: field(Type.String()),
  lines: Type.Array(Type.Object({ description: Type.String(), amountCents: Type.Integer(), confidence })),
  /** The recognised text, line by line, so a person can check what the fields came from. */
  text: Type.String(),
  timings: Type.Object({ preprocessMs: Type.Number(), recognizeMs: Type.Number(), parseMs: Type.Number() }),
});
export type ScanReceiptResponse = Static<typeof ScanReceiptResponse>;
