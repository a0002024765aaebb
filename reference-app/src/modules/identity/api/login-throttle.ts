import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { TooManyRequestsError } from '../../../shared/errors.js';
import { normaliseEmail } from '../domain/user.js';

/** Attempts allowed per window: per client IP (password spraying) and per account (guessing one password). */
export interface LoginLimits {
  perIp: number;
  perAccount: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perIp: 120, perAccount: 10, windowMs: 60_000 };

/**
 * Login throttling with @fastify/rate-limit. Two limiters, both counted on every attempt; the
 * plugin's own route hook can run only one limiter per request, so this preHandler asks both
 * (`createRateLimit`) and answers 429 problem+json with Retry-After when either is exhausted.
 * It runs after body validation, so the account key is a valid, normalised e-mail. Counts live
 * in this process's memory: with several instances each counts its own share (a shared store,
 * e.g. Redis, would make the limit global; see docs/reference-app.md).
 */
export async function createLoginThrottle(
  scope: FastifyInstance,
  limits: LoginLimits,
): Promise<{ login: preHandlerAsyncHookHandler; signUp: preHandlerAsyncHookHandler }> {
  await scope.register(rateLimit, { global: false });
  const perIp = scope.createRateLimit({ max: limits.perIp, timeWindow: limits.windowMs, keyGenerator: (r) => `ip:${r.ip}` });
  const perAccount = scope.createRateLimit({
    max: limits.perAccount,
    timeWindow: limits.windowMs,
    keyGenerator: (r) => `account:${normaliseEmail((r.body as { email: string }).email)}`,
  });
  const refuseWhenExceeded = async (
    request: FastifyRequest,
    limiter: typeof perIp,
    what: string,
  ): Promise<void> => {
    const verdict = await limiter(request);
    if (!verdict.isAllowed && verdict.isExceeded) {
      throw new TooManyRequestsError(`too many ${what}; retry in ${verdict.ttlInSeconds} s`, verdict.ttlInSeconds);
    }
  };
  return {
    async login(request) {
      await refuseWhenExceeded(request, perIp, 'login attempts from this address');
      await refuseWhenExceeded(request, perAccount, 'login attempts for this account');
    },
    // Sign-up answers 409 for a taken e-mail (see docs); the per-IP limit bounds how fast anyone can probe.
    async signUp(request) {
      await refuseWhenExceeded(request, perIp, 'attempts from this address');
    },
  };
}
