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

/**
 * HS256 JWTs via fast-jwt. The verifier caches verified tokens (bounded LRU), so a hot
 * client's repeated requests skip the HMAC; expiry is still checked on every hit.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`AUTH_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const sign = createSigner({ key: options.secret, algorithm: 'HS256', expiresIn: ttlSeconds * 1000 });
  const decode = createVerifier({ key: options.secret, algorithms: ['HS256'], cache: 10_000 });
  return {
    issue(claims) {
      const token = sign({ sub: claims.sub, ctx: claims.ctx, perms: claims.perms, ver: claims.ver ?? 0 });
      return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
    },
    verify(token) {
      let payload: Record<string, unknown>;
      try {
        payload = decode(token) as Record<string, unknown>;
      } catch (error) {
        const expired = error instanceof TokenError && error.code === TokenError.codes.expired;
        throw new UnauthenticatedError(expired ? 'token expired' : 'token invalid');
      }
      if (!isClaims(payload)) throw new UnauthenticatedError('token claims malformed');
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
