/**
 * Errors every layer may throw. They carry no HTTP or framework types (the domain must stay
 * pure); the root error handler (`http/problem-details.ts`) maps them to problem+json.
 */
export interface FieldProblem {
  /** JSON path of the offending field, e.g. `/amountCents`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  /** Short kebab-case slug, becomes the problem `type` (`/problems/<kind>`). */
  abstract readonly kind: string;
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (or the caller may not know it exists). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The request is well-formed but breaks a business rule (bid too low, not enough stock). */
export class RuleViolationError extends DomainError {
  readonly kind = 'rule-violation';
}

/** The request raced another change and lost (stale version, already accepted). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** Credentials or token are missing or wrong. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

/** Too many attempts in a window (login throttling); the 429 carries Retry-After. */
export class TooManyRequestsError extends DomainError {
  readonly kind = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Authenticated, but this principal may not do this. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}
