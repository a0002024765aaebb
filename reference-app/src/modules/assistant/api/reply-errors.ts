import type { FastifyReply } from 'fastify';
import { problem, sendProblem } from '../../../shared/http/problem-details.js';
import { replyToServiceError } from '../../../shared/services/index.js';
import { ComputeBusyError } from '../application/ports.js';

/**
 * What the assistant's compute can fail with, as the caller's answer: the models service
 * unavailable (503, from the catalog's gating helpers) or the worker pool full (503); anything
 * else is rethrown for the root error handler.
 */
export function replyToComputeError(reply: FastifyReply, error: unknown): FastifyReply {
  const answered = replyToServiceError(reply, error);
  if (answered) return answered;
  if (error instanceof ComputeBusyError) {
    reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, problem(503, 'compute-busy', `${error.message}; try again in ${error.retryAfterSeconds} s`));
  }
  throw error;
}
