import { randomBytes } from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { UnauthenticatedError } from '../errors.js';
import type { LoginContext } from './contexts.js';

/** The claims every token carries. `ctx` pins the token to one auth context. */
export interface TokenClaims {
  sub: string;
  ctx: LoginContext;
  perms: string[];
  /** The user's token version at login; revocation bumps it (shared/auth/revocation.ts). */
  ver: number;
  /** Seconds since the epoch. */
  exp: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenService {
  /** `ver` defaults to 0, the version every user starts with. */
  issue(claims: Omit<TokenClaims, 'exp' | 'ver'> & { ver?: number }): IssuedToken;
  /** Throws UnauthenticatedError for a malformed, badly signed or expired token. */
  verify(token: string): TokenClaims;
}

export interface TokenServiceOptions {
  secret: string;
  /** Lifetime of a token; default one hour. */
  ttlSeconds?: number;
}

/** Minimum HS256 key length the service accepts (RFC 7518: key at least as long as the hash). */
const MIN_SECRET_LENGTH = 32;

/** How many verified tokens are remembered (oldest dropped first). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * HS256 JWTs via fast-jwt. Verified tokens are remembered (bounded), keyed by the token text
 * itself, so a hot client's repeated requests skip the HMAC, the base64 and the JSON; expiry is
 * still checked on every hit. The cache is ours, not fast-jwt's: fast-jwt keys its cache by a
 * SHA-256 of the token, computed on every call, which cost about as much as the HMAC it saves.
 * Only tokens that verified and carry well-formed claims are remembered; a refused token is
 * verified (and refused) again every time.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`AUTH_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const sign = createSigner({ key: options.secret, algorithm: 'HS256', expiresIn: ttlSeconds * 1000 });
  const decode = createVerifier({ key: options.secret, algorithms: ['HS256'] });
  const verified = new Map<string, TokenClaims>();
  return {
    issue(claims) {
      const token = sign({ sub: claims.sub, ctx: claims.ctx, perms: claims.perms, ver: claims.ver ?? 0 });
      return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
    },
    verify(token) {
      const known = verified.get(token);
      // fast-jwt accepts a token while now <= exp * 1000 (no clock tolerance): the same bound here;
      // past it, the token goes through fast-jwt again, which refuses it as expired.
      if (known !== undefined) {
        if (Date.now() <= known.exp * 1000) return known;
        verified.delete(token);
      }
      let payload: Record<string, unknown>;
      try {
        payload = decode(token) as Record<string, unknown>;
      } catch (error) {
        const expired = error instanceof TokenError && error.code === TokenError.codes.expired;
        throw new UnauthenticatedError(expired ? 'token expired' : 'token invalid');
      }
      if (!isClaims(payload)) throw new UnauthenticatedError('token claims malformed');
      // Map keeps insertion order: the first key is the oldest entry.
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, payload);
      return payload;
    },
  };
}

/** User ids are uuids; a validly signed token naming anything else never reaches a uuid column. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isClaims(value: Record<string, unknown>): value is TokenClaims & Record<string, unknown> {
  return (
    typeof value.sub === 'string' &&
    UUID.test(value.sub) &&
    typeof value.ctx === 'string' &&
    Array.isArray(value.perms) &&
    value.perms.every((p) => typeof p === 'string') &&
    Number.isSafeInteger(value.ver) &&
    typeof value.exp === 'number'
  );
}

export interface ResolvedSecret {
  secret: string;
  /** True when no secret was configured and a random one was made for this process. */
  generated: boolean;
}

/** AUTH_TOKEN_SECRET, or a random per-process secret (tokens then die with the process). */
export function resolveTokenSecret(env: NodeJS.ProcessEnv = process.env): ResolvedSecret {
  const configured = env.AUTH_TOKEN_SECRET;
  if (configured) return { secret: configured, generated: false };
  return { secret: randomBytes(32).toString('base64url'), generated: true };
}
