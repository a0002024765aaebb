import type { FastifyReply } from 'fastify';
import { problem, sendProblem } from '../../../shared/http/problem-details.js';
import { replyToServiceError, ServiceRejectedError } from '../../../shared/services/index.js';
import { ComputeBusyError, ReceiptImageUnreadableError } from '../application/ports.js';

/**
 * What the assistant's compute can fail with, as the caller's answer: the models service
 * unavailable (503, from the catalog's gating helpers), the in-process compute saturated
 * (503), or an image the engine could not decode (422, whether the engine ran here or in the
 * service); anything else is rethrown for the root error handler.
 */
export function replyToComputeError(reply: FastifyReply, error: unknown): FastifyReply {
  const unreadable =
    error instanceof ReceiptImageUnreadableError ||
    (error instanceof ServiceRejectedError && error.endpoint === 'scanReceipt' && (error.status === 413 || error.status === 422));
  if (unreadable) {
    return sendProblem(reply, problem(422, 'image-unreadable', 'the image passed the header checks but could not be decoded'));
  }
  const answered = replyToServiceError(reply, error);
  if (answered) return answered;
  if (error instanceof ComputeBusyError) {
    reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, problem(503, 'compute-busy', `${error.message}; try again in ${error.retryAfterSeconds} s`));
  }
  throw error;
}
