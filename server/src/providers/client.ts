/**
 * A provider's door to the network: its circuit breaker in front of the shared HTTP client. When
 * the breaker is open the call fails fast with `circuit-open` and nothing goes on the wire.
 */
import type { CircuitBreaker } from './breaker';
import { ProviderError } from './errors';
import type { HttpClient, RequestOptions } from './http';
import type { ProviderId } from './types';

export class ProviderClient {
  constructor(
    readonly id: ProviderId,
    private readonly http: HttpClient,
    readonly breaker: CircuitBreaker,
  ) {}

  async getText(url: string, options: Omit<RequestOptions, 'provider'> = {}): Promise<string> {
    if (!this.breaker.allow()) {
      const retryAt = this.breaker.status().retryAt;
      const when = retryAt === undefined ? 'soon' : `after ${new Date(retryAt).toISOString()}`;
      throw new ProviderError(this.id, 'circuit-open', `offline (circuit open after repeated failures; next try ${when})`);
    }
    try {
      const text = await this.http.getText(url, { ...options, provider: this.id });
      this.breaker.success();
      return text;
    } catch (err) {
      // Only transport failures get here; an answer in an unexpected shape fails later, in the
      // adapter's parser, and does not count as the provider being down.
      this.breaker.failure(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
}
