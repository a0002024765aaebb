import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { problem, sendProblem, toProblem, type ProblemDetails } from './problem-details.js';

/*
 * Errors Fastify answers before any route (and so before the error handler) runs: a bad or
 * over-long URL, an over-sized header block, a timed-out request. By default Fastify writes
 * plain JSON for them; these hooks answer problem+json like every other error of the API.
 */

/** Fastify's `frameworkErrors` option: bad URL (400) and a path parameter over maxParamLength (414). */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const body =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problem(414, 'uri-too-long', 'a path segment of the URL is too long')
      : toProblem(error);
  void sendProblem(reply, body);
}

/** What the HTTP parser refused, as a status and a problem (the socket has no Fastify reply yet). */
function parserProblem(error: NodeJS.ErrnoException): ProblemDetails {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return problem(431, 'headers-too-large', 'the request headers (or the URL) exceed the size the server reads');
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return problem(408, 'request-timeout', 'the request took too long to arrive');
  return problem(400, 'bad-request', 'the request is not valid HTTP');
}

/** Fastify's `clientErrorHandler` option: writes the problem straight to the socket, then closes it. */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (error, socket: Socket) => {
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed) return;
  const body = parserProblem(error as NodeJS.ErrnoException);
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
};
