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
  // Callback style, not async: it runs on every request and almost always only calls done(),
  // and an async hook costs a promise and a microtask turn per request for that.
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    sendProblem(reply, problem(503, 'shutting-down', 'this instance is shutting down; retry on another'));
  });
}
