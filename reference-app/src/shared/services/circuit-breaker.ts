/**
 * A consecutive-failure circuit breaker. After `failureThreshold` failures in a row the
 * circuit opens and calls fail at once for `cooldownMs` (no socket, no timeout wait); then one
 * trial call is let through (half-open): success closes the circuit, failure re-opens it.
 * Only failures that say the service is unwell count (network errors, timeouts, 5xx); a 4xx
 * is the caller's mistake and leaves the circuit alone.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Milliseconds until a call may be tried again (0 when one may be tried now). */
  retryAfterMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
  }

  /** Asks to make a call; in half-open state only one trial call is let through at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
    }
    this.trialInFlight = false;
  }

  /** A call that neither proved nor disproved health (e.g. a 4xx) frees the trial slot. */
  recordNeutral(): void {
    this.trialInFlight = false;
  }
}
