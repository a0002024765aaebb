import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { OutgoingEvent } from './event-bus.js';
import { registerEventFormats } from './formats.js';

registerEventFormats();

/** Names are `<module>.<happening>` in lower case, e.g. `order.placed`, `bid.outbid`. */
const EVENT_TYPE = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9_-]*$/;

export interface EventContractDefinition<S extends TSchema> {
  type: string;
  /** Bumped on any breaking change of the payload; consumers see it on every delivery. */
  version: number;
  /** The module that owns and publishes this event. */
  publisher: string;
  schema: S;
  /** The consumers the publisher knows about (documentation the bus checks at start). */
  subscribers: ReadonlyArray<string>;
}

export interface EventContract<S extends TSchema = TSchema> extends Readonly<EventContractDefinition<S>> {
  /** Validates the payload and returns the event to hand to `EventBus.publish`. Throws `InvalidEventPayloadError`. */
  create(payload: Static<S>, key?: string): OutgoingEvent<Static<S>>;
  /** Throws `InvalidEventPayloadError` when the payload does not match the schema. */
  assertValid(payload: unknown): void;
}

/** A payload that does not match its contract: thrown at publish time, before anything is written. */
export class InvalidEventPayloadError extends Error {
  readonly errors: ReadonlyArray<{ path: string; message: string }>;
  constructor(type: string, version: number, errors: ReadonlyArray<{ path: string; message: string }>) {
    const first = errors[0];
    super(
      `event ${type} v${version}: payload does not match its contract` +
        (first ? ` (${first.path || '/'}: ${first.message}${errors.length > 1 ? `, and ${errors.length - 1} more` : ''})` : ''),
    );
    this.name = 'InvalidEventPayloadError';
    this.errors = errors;
  }
}

/** An event published with a type/version that no contract declares. */
export class UnknownEventContractError extends Error {
  constructor(type: string, version: number) {
    super(`event ${type} v${version} has no contract: declare it with defineEvent() in the publishing module's api/events.ts`);
    this.name = 'UnknownEventContractError';
  }
}

// Contracts register themselves so publish() can re-validate events that were not built with
// `.create()`, and so the bus can check subscriptions against the declared subscribers.
const registry = new Map<string, EventContract>();
const registryKey = (type: string, version: number) => `${type}@${version}`;

export function defineEvent<S extends TSchema>(definition: EventContractDefinition<S>): EventContract<S> {
  if (!EVENT_TYPE.test(definition.type)) {
    throw new Error(`event type "${definition.type}" must look like "<module>.<happening>" in lower case`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`event ${definition.type}: version must be a positive integer, got ${String(definition.version)}`);
  }
  const check: TypeCheck<S> = TypeCompiler.Compile(definition.schema);
  const assertValid = (payload: unknown): void => {
    if (check.Check(payload)) return;
    const errors = [...check.Errors(payload)].slice(0, 10).map((e) => ({ path: e.path, message: e.message }));
    throw new InvalidEventPayloadError(definition.type, definition.version, errors);
  };
  const contract: EventContract<S> = Object.freeze({
    ...definition,
    subscribers: Object.freeze([...definition.subscribers]),
    assertValid,
    create(payload: Static<S>, key?: string): OutgoingEvent<Static<S>> {
      assertValid(payload);
      return key === undefined
        ? { type: definition.type, version: definition.version, payload }
        : { type: definition.type, version: definition.version, payload, key };
    },
  });
  const existing = registry.get(registryKey(definition.type, definition.version));
  if (existing && existing.publisher !== definition.publisher) {
    throw new Error(
      `event ${definition.type} v${definition.version} is declared by both ${existing.publisher} and ${definition.publisher}`,
    );
  }
  registry.set(registryKey(definition.type, definition.version), contract as unknown as EventContract);
  return contract;
}

export function findContract(type: string, version: number): EventContract | undefined {
  return registry.get(registryKey(type, version));
}

export function contractsOfType(type: string): EventContract[] {
  return [...registry.values()].filter((c) => c.type === type);
}

export function allContracts(): EventContract[] {
  return [...registry.values()];
}
