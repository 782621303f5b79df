/**
 * A circuit breaker per provider. Closed: calls go through. After `failureThreshold` consecutive
 * failures it opens: calls fail fast (no network traffic) for `cooldownMs`. Then one probe call is
 * let through (half-open): success closes the breaker, failure opens it for another cool-down.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now: () => number;
  /** Told about every state change (for logging). */
  onChange?: (from: BreakerState, to: BreakerState) => void;
}

export const DEFAULT_BREAKER: Omit<BreakerOptions, 'now'> = { failureThreshold: 3, cooldownMs: 30_000 };

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  lastError: string | undefined;
  lastSuccessAt: number | undefined;

  constructor(private readonly options: BreakerOptions) {}

  /** Whether a call may go out now; moves open → half-open when the cool-down has passed. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.options.now() - this.openedAt < this.options.cooldownMs) return false;
      this.move('half-open');
      this.probing = false;
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.move('closed');
    this.failures = 0;
    this.probing = false;
    this.lastSuccessAt = this.options.now();
  }

  failure(message: string): void {
    this.lastError = message;
    this.failures++;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.move('open');
      this.openedAt = this.options.now();
      this.probing = false;
    }
  }

  private move(to: BreakerState): void {
    const from = this.state;
    this.state = to;
    if (from !== to) this.options.onChange?.(from, to);
  }

  status(): { state: BreakerState; consecutiveFailures: number; retryAt?: number; lastError?: string; lastSuccessAt?: number } {
    // An open breaker whose cool-down has passed is reported as half-open (the next call probes).
    const cooled = this.state === 'open' && this.options.now() - this.openedAt >= this.options.cooldownMs;
    return {
      state: cooled ? 'half-open' : this.state,
      consecutiveFailures: this.failures,
      ...(this.state === 'open' ? { retryAt: this.openedAt + this.options.cooldownMs } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: this.lastSuccessAt } : {}),
    };
  }
}
