import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem-details.js';

/**
 * A write route without a body schema (e.g. POST /bids/:bidId/acceptance) takes no body.
 * Without this guard Fastify would parse and ignore one, so `{"admin": true}` sent there
 * would be silently accepted; with it, any body is a 400 naming the body.
 */
export function refuseUnexpectedBodies(app: FastifyInstance): void {
  // Callback style, not async: it runs on every request and almost always only calls done(),
  // and an async hook costs a promise and a microtask turn per request for that.
  app.addHook('preValidation', (request, reply, done) => {
    if (request.body === undefined || request.routeOptions.schema?.body) return done();
    sendProblem(
      reply,
      problem(400, 'validation', 'this route takes no request body', [{ field: 'body', message: 'must be absent' }]),
    );
  });
}
