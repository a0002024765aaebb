import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { defineEvent, findContract, InvalidEventPayloadError } from '../../src/shared/events/index.js';

describe('event contracts', () => {
  const shipped = defineEvent({
    type: 'contracttest.shipped',
    version: 2,
    publisher: 'contracttest',
    schema: Type.Object({
      orderId: Type.String({ format: 'uuid' }),
      at: Type.String({ format: 'date-time' }),
      cents: Type.Integer({ minimum: 1 }),
    }),
    subscribers: ['notifications'],
  });

  it('creates an event with type, version and optional ordering key from a valid payload', () => {
    const payload = { orderId: '7b0c3c52-3a55-4a8e-9d0f-0c7c2f1f7a10', at: '2026-01-02T03:04:05.000Z', cents: 5 };
    expect(shipped.create(payload)).toEqual({ type: 'contracttest.shipped', version: 2, payload });
    expect(shipped.create(payload, 'order-1')).toMatchObject({ key: 'order-1' });
    expect(findContract('contracttest.shipped', 2)).toBe(shipped);
  });

  it('rejects payloads that break the schema, naming the field (string formats included)', () => {
    const bad = { orderId: 'not-a-uuid', at: '2026-01-02T03:04:05Z', cents: 5 };
    expect(() => shipped.create(bad)).toThrow(InvalidEventPayloadError);
    expect(() => shipped.create(bad)).toThrow(/\/orderId/);
    expect(() => shipped.create({ orderId: '7b0c3c52-3a55-4a8e-9d0f-0c7c2f1f7a10', at: 'yesterday', cents: 0 } as never)).toThrow(
      /and 1 more/,
    );
  });

  it('refuses malformed definitions and a second publisher for the same type and version', () => {
    const base = { version: 1, publisher: 'a', schema: Type.Object({}), subscribers: [] };
    expect(() => defineEvent({ ...base, type: 'NoDot' })).toThrow(/<module>.<happening>/);
    expect(() => defineEvent({ ...base, type: 'contracttest.x', version: 0 })).toThrow(/positive integer/);
    defineEvent({ ...base, type: 'contracttest.owned' });
    expect(() => defineEvent({ ...base, type: 'contracttest.owned', publisher: 'b' })).toThrow(/declared by both a and b/);
  });
});
