import { UnauthenticatedError } from '../errors.js';
import type { TokenClaims } from './tokens.js';

/**
 * Token revocation by a per-user token version. Every token carries the version its user had
 * at login (`ver`); logging out everywhere or deleting the account changes or removes it, and
 * a token whose version is not the current one is refused with 401. Looking the version up on
 * every request would add a query to every call, so answers are cached for `ttlMs`: a token
 * revoked by another instance stops working within that time, one revoked by this instance
 * at once (`forget`).
 */
export interface TokenVersionSource {
  /** The user's current token version, or undefined when the user no longer exists. */
  tokenVersion(userId: string): Promise<number | undefined>;
}

export interface RevocationCheck {
  /** Throws UnauthenticatedError when the token's user is gone or its version was revoked. */
  assertCurrent(claims: TokenClaims): Promise<void>;
  /** Drops the cached version of a user this process just revoked or deleted. */
  forget(userId: string): void;
}

export const REVOCATION_CACHE_MS = 2_000;
const MAX_CACHED_USERS = 50_000;

export function createRevocationCheck(source: TokenVersionSource, ttlMs = REVOCATION_CACHE_MS): RevocationCheck {
  const cache = new Map<string, { version: number | undefined; until: number }>();
  return {
    async assertCurrent(claims) {
      const now = Date.now();
      let entry = cache.get(claims.sub);
      if (!entry || entry.until <= now) {
        entry = { version: await source.tokenVersion(claims.sub), until: now + ttlMs };
        cache.delete(claims.sub);
        // Map keeps insertion order: the first key is the oldest entry.
        if (cache.size >= MAX_CACHED_USERS) cache.delete(cache.keys().next().value!);
        cache.set(claims.sub, entry);
      }
      if (entry.version === undefined) throw new UnauthenticatedError('the account of this token no longer exists');
      if (entry.version !== claims.ver) throw new UnauthenticatedError('token revoked; log in again');
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
}
