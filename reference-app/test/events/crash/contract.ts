import { Type } from '@sinclair/typebox';
import { defineEvent } from '../../../src/shared/events/index.js';

/** The event the crash test's producer publishes; `seq` names the business row it came with. */
export const crashTick = defineEvent({
  type: 'crashtest.tick',
  version: 1,
  publisher: 'crashtest',
  schema: Type.Object({ seq: Type.Integer({ minimum: 1 }) }),
  subscribers: ['crash-consumer'],
});

export const CRASH_CONSUMER = 'crash-consumer';

export const CRASH_SCHEMA_SQL = `
  CREATE SEQUENCE IF NOT EXISTS crash_seq;
  -- One row per committed business change; the event with the same seq came with it.
  CREATE TABLE IF NOT EXISTS crash_business (seq bigint PRIMARY KEY);
  -- The handler's effect. Deliberately no unique constraint: only the inbox stands between a
  -- redelivery and a second row, which is what the test checks.
  CREATE TABLE IF NOT EXISTS crash_effect (id bigserial PRIMARY KEY, event_id uuid NOT NULL, seq bigint NOT NULL, relay text NOT NULL);
  -- Transactions the producer rolled back on purpose (written after the rollback, autocommit).
  CREATE TABLE IF NOT EXISTS crash_rollback (id bigserial PRIMARY KEY, events int NOT NULL);
`;
