import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem-details.js';

/**
 * Once close() starts, requests still arriving on open keep-alive connections get 503
 * problem+json with Retry-After and `Connection: close`, so a load balancer sends them to
 * another instance. (Fastify's own return503OnClosing writes plain JSON; it is turned off.)
 */
export function refuseRequestsWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    return sendProblem(reply, problem(503, 'shutting-down', 'this instance is shutting down; retry on another'));
  });
}
