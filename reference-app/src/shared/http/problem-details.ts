import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable.js';
import { DomainError, TooManyRequestsError, type FieldProblem } from '../errors.js';

/** RFC 9457 problem details, the one error shape of the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

const STATUS_OF_KIND: Record<string, number> = {
  'not-found': 404,
  'rule-violation': 422,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  'too-many-requests': 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, kind: string, detail: string, errors?: FieldProblem[]): ProblemDetails {
  const body: ProblemDetails = { type: `/problems/${kind}`, title: TITLES[status] ?? 'Error', status, detail };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

export function sendProblem(reply: FastifyReply, body: ProblemDetails): FastifyReply {
  // A 503 is temporary by definition here (database away, shutting down): say when to come back.
  if (body.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', DATABASE_RETRY_AFTER_SECONDS);
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** Fastify's error codes for requests it rejects before validation, as problem kinds. */
const CLIENT_ERROR_KINDS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed-body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_MAX_PARAM_LENGTH: 'uri-too-long',
  FST_ERR_BAD_URL: 'bad-url',
};

type AjvIssue = NonNullable<FastifyError['validation']>[number];

/** Turns one Ajv issue into `{ field, message }` with a JSON-pointer field name. */
function fieldProblem(issue: AjvIssue, location: string | undefined): FieldProblem {
  const params = issue.params as Record<string, unknown>;
  let path = issue.instancePath;
  if (typeof params.missingProperty === 'string') path = `${path}/${params.missingProperty}`;
  if (typeof params.additionalProperty === 'string') path = `${path}/${params.additionalProperty}`;
  const message =
    typeof params.additionalProperty === 'string' ? 'is not an allowed property' : (issue.message ?? 'is invalid');
  return { field: `${location ?? 'body'}:${path || '/'}`, message };
}

/** Maps any thrown error to problem+json. Only the root instance installs it. */
export function toProblem(error: FastifyError | DomainError | Error): ProblemDetails {
  if (error instanceof DomainError) {
    return problem(STATUS_OF_KIND[error.kind] ?? 400, error.kind, error.message, error.fields);
  }
  if (isDatabaseUnavailable(error)) {
    return problem(503, 'database-unavailable', 'the database is not reachable right now; retry later');
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => fieldProblem(issue, fastifyError.validationContext));
    return problem(400, 'validation', `request ${fastifyError.validationContext ?? 'body'} is invalid`, errors);
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors: malformed JSON, empty body, wrong content type, body too large.
    const kind = CLIENT_ERROR_KINDS[fastifyError.code] ?? 'bad-request';
    const errors = kind === 'malformed-body' ? [{ field: 'body', message: fastifyError.message }] : undefined;
    return problem(status, kind, fastifyError.message, errors);
  }
  return problem(500, 'internal', 'an unexpected error occurred; it has been logged');
}

export function installProblemDetails(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const body = toProblem(error);
    if (error instanceof TooManyRequestsError) reply.header('retry-after', error.retryAfterSeconds);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
