import type { Tx } from './db/transaction.js';
import { RuleViolationError } from './errors.js';

/*
 * `Idempotency-Key` for writes a client may retry (checkout, bid placement): the first request
 * with a key runs; the key, a fingerprint of the request and the id of what it created commit
 * in the same transaction; a repeat with the same key answers what the first created instead
 * of running again. Two identical requests racing: the second's key INSERT waits on the
 * first's uncommitted row, fails on the primary key once the first commits, rolls back
 * everything it did, and then finds and answers the first one's result. If the first rolls
 * back instead, the second simply runs. Each module keeps its own key table (its schema).
 */
export interface IdempotentRequest {
  userId: string;
  /** The client's Idempotency-Key header; absent = no idempotency. */
  key?: string;
  /** What the request asks for; the same key with another fingerprint is refused (422). */
  fingerprint: string;
}

export interface IdempotencyKeys<R> {
  find(userId: string, key: string): Promise<{ fingerprint: string; result: R } | undefined>;
  remember(tx: Tx, entry: { userId: string; key: string; fingerprint: string; resultId: string }): Promise<void>;
}

/** Records the key inside the write's transaction; called by the write once it knows the id it created. */
export type Remember = (tx: Tx, resultId: string) => Promise<void>;

/** Without a key there is nothing to record (one shared function, not a closure per request). */
const rememberNothing: Remember = async () => {};

export async function runOnce<R>(
  keys: IdempotencyKeys<R>,
  request: IdempotentRequest,
  write: (remember: Remember) => Promise<R>,
): Promise<R> {
  const { key, userId, fingerprint } = request;
  if (!key) return write(rememberNothing);
  const previous = async (): Promise<R | undefined> => {
    const found = await keys.find(userId, key);
    if (!found) return undefined;
    if (found.fingerprint !== fingerprint) {
      throw new RuleViolationError('this Idempotency-Key was already used for a different request', [
        { field: 'headers:/idempotency-key', message: 'already used for a different request' },
      ]);
    }
    return found.result;
  };
  const replay = await previous();
  if (replay !== undefined) return replay;
  try {
    return await write((tx, resultId) => keys.remember(tx, { userId, key, fingerprint, resultId }));
  } catch (error) {
    // Lost a race to an identical request (or failed after it committed): answer its result.
    const raced = await previous();
    if (raced !== undefined) return raced;
    throw error;
  }
}

/** The header as route schemas declare it: optional, printable ASCII, bounded. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
