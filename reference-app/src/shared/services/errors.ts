/**
 * Why a call to an extracted service did not produce a result. Callers map these to HTTP:
 * unavailable -> 503 with Retry-After, rejected -> the service's 4xx passed on, contract -> 502.
 */
export type UnavailableReason = 'down' | 'circuit-open' | 'unreachable' | 'timeout' | 'server-error';

export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: string,
    readonly reason: UnavailableReason,
    /** When the caller may try again; becomes the Retry-After header. */
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(`service "${service}" is unavailable (${reason}): ${detail}`);
    this.name = 'ServiceUnavailableError';
  }
}

/** The service answered 4xx: the request itself was wrong (bad input, bad token). Never retried. */
export class ServiceRejectedError extends Error {
  constructor(
    readonly service: string,
    readonly endpoint: string,
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`service "${service}" rejected ${endpoint} with ${status}`);
    this.name = 'ServiceRejectedError';
  }
}

/** The body failed the declared schema before sending, or the response failed it on arrival. */
export class ServiceContractError extends Error {
  constructor(
    readonly service: string,
    readonly endpoint: string,
    readonly direction: 'request' | 'response',
    readonly problems: readonly string[],
  ) {
    super(`service "${service}" ${endpoint}: ${direction} does not match the declared schema: ${problems.join('; ')}`);
    this.name = 'ServiceContractError';
  }
}
