import { Type, type TProperties } from '@sinclair/typebox';

/*
 * Building blocks for route schemas. Every body is a closed object (unknown fields are a 400,
 * not silently dropped) and every string has a maxLength, so no request can make us store
 * or scan megabytes.
 */

/** A request body: `additionalProperties: false`, always. */
export const Body = <T extends TProperties>(properties: T) => Type.Object(properties, { additionalProperties: false });

export const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
export const IdParams = <K extends string>(name: K) =>
  Type.Object({ [name]: Uuid } as Record<K, typeof Uuid>, { additionalProperties: false });

/** Money in integer cents (never floats), up to one million currency units. */
export const AmountCents = Type.Integer({ minimum: 1, maximum: 100_000_000 });

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
};

export const Timestamp = Type.String({ format: 'date-time' });

/** A string from a fixed list, typed as the union of its values (and a plain `enum` in OpenAPI). */
export const StringEnum = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], maxLength: Math.max(...values.map((v) => v.length)) });

/** Optional `Idempotency-Key` header of retryable writes (see shared/idempotency.ts). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$' })),
});
