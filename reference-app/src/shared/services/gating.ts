import type { FastifyReply, onRequestHookHandler } from 'fastify';
import { problem, sendProblem } from '../http/problem-details.js';
import type { ServiceCatalog } from './catalog.js';
import type { ServiceDeclarations } from './declaration.js';
import { ServiceContractError, ServiceRejectedError, ServiceUnavailableError } from './errors.js';
import type { SlugOf } from './types.js';

/** 503 problem+json with Retry-After: the answer of a feature whose service is unavailable. */
export function sendServiceUnavailable(reply: FastifyReply, error: ServiceUnavailableError): FastifyReply {
  reply.header('retry-after', String(error.retryAfterSeconds));
  return sendProblem(
    reply,
    problem(
      503,
      'service-unavailable',
      `this feature needs the "${error.service}" service, which is unavailable (${error.reason}); ` +
        `try again in ${error.retryAfterSeconds} s`,
    ),
  );
}

/**
 * An onRequest hook for a feature's routes: answers 503 at once while the service is down
 * or its circuit is open, before the body is even parsed. A request never hangs on a service
 * the probe loop already knows is gone.
 */
export function serviceGate<D extends ServiceDeclarations>(catalog: ServiceCatalog<D>, slug: SlugOf<D>): onRequestHookHandler {
  return async function gate(_request, reply) {
    try {
      catalog.assertAvailable(slug);
    } catch (error) {
      if (error instanceof ServiceUnavailableError) return sendServiceUnavailable(reply, error);
      throw error;
    }
  };
}

/**
 * Maps what a service call can throw to the caller's answer: unavailable -> 503 + Retry-After;
 * the service refusing our request or breaking its declared schema -> 502 (the caller did
 * nothing wrong; our side of the contract did). Anything else goes to the root error handler.
 * Returns undefined when the error is not a service error.
 */
export function replyToServiceError(reply: FastifyReply, error: unknown): FastifyReply | undefined {
  if (error instanceof ServiceUnavailableError) return sendServiceUnavailable(reply, error);
  if (error instanceof ServiceRejectedError) {
    reply.log.error({ status: error.status, problem: error.problem }, error.message);
    return sendProblem(reply, problem(502, 'service-rejected', `the "${error.service}" service refused the request`));
  }
  if (error instanceof ServiceContractError) {
    reply.log.error({ problems: error.problems }, error.message);
    return sendProblem(reply, problem(502, 'service-contract', error.message));
  }
  return undefined;
}
