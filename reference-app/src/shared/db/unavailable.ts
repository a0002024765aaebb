/**
 * Is this error "the database is not reachable right now" (as opposed to a bug or a bad
 * request)? Those become 503 + Retry-After: the client may retry the same request later,
 * and a load balancer should not count them as our faults.
 */
const UNREACHABLE_CODES = new Set([
  // Socket level: refused, reset, timed out, name lookup failed.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // PostgreSQL class 57P (operator intervention): admin shutdown, crash shutdown, cannot connect now.
  '57P01',
  '57P02',
  '57P03',
  // Class 08: connection exception.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // too_many_connections: the server is there but takes no one else now.
  '53300',
]);

// node-postgres reports a lost or never-made connection with these messages and no code.
const UNREACHABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  // An AggregateError (dual-stack connect) carries the socket errors inside.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.some(isDatabaseUnavailable)) return true;
  return UNREACHABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** Seconds a client should wait before retrying a request refused because the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;
