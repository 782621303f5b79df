/**
 * How a provider call failed. `network`, `timeout`, `http` (5xx/429 after retries, or another
 * status) and `circuit-open` mean the provider could not be reached or refused: they count against
 * its circuit breaker. `parse` means it answered in an unexpected shape.
 */
import { AppError } from '../platform/errors';
import type { ProviderId } from './types';

export type ProviderErrorKind = 'network' | 'timeout' | 'http' | 'parse' | 'circuit-open' | 'disabled';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly provider: ProviderId | 'http',
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(`${provider}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** From a 429/503 Retry-After header. */
  readonly retryAfterMs: number | undefined;

  /** Transport-level failures: the provider is (for now) unreachable. */
  get unreachable(): boolean {
    return this.kind !== 'parse';
  }
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The AppError for a set of provider failures: 2001 when every provider was unreachable, disabled
 * or behind an open breaker (offline), 2005 when one of them answered but badly.
 */
export function unavailable(errors: readonly unknown[], what: string): AppError {
  const details = errors.length > 0 ? errors.map((e) => ({ message: describeError(e) })) : [{ message: `no enabled provider for ${what}` }];
  const answeredBadly = errors.some((e) => e instanceof ProviderError && !e.unreachable);
  return new AppError(answeredBadly ? 'PROVIDER_ERROR' : 'MARKET_DATA_UNAVAILABLE', details);
}
