/**
 * HTTP for the providers: a per-host rate limit (token bucket), a timeout per attempt
 * (AbortSignal.timeout), retries with exponential backoff and jitter on network errors, timeouts,
 * 5xx and 429 only, and decoding of the body (UTF-8 or GBK). Clock, sleep, randomness and fetch
 * are injected so tests run offline and deterministically.
 */
import { ProviderError } from './errors';

export type FetchLike = typeof fetch;
export type Sleep = (ms: number) => Promise<void>;

export interface HttpOptions {
  fetch: FetchLike;
  sleep: Sleep;
  /** Monotonic-enough clock for the rate limiter (ms). */
  now: () => number;
  random: () => number;
  timeoutMs: number;
  /** Extra attempts after the first one. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Requests per second per host, and the burst allowed. */
  ratePerSecond: number;
  burst: number;
}

export const DEFAULT_HTTP: Omit<HttpOptions, 'fetch'> = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
  now: Date.now,
  random: Math.random,
  timeoutMs: 8_000,
  retries: 2,
  backoffBaseMs: 300,
  backoffMaxMs: 4_000,
  ratePerSecond: 3,
  burst: 3,
};

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Body encoding; `gbk` for Sina and Tencent. */
  encoding?: 'utf-8' | 'gbk';
  timeoutMs?: number;
  retries?: number;
  /** Who is asking (for error messages). */
  provider?: ProviderError['provider'];
}

const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/**
 * A token bucket: `rate` tokens per second up to `burst`. A caller that finds no token reserves
 * one anyway (the balance goes negative) and sleeps until it would have been refilled, so
 * concurrent callers queue up in order without a timer of their own.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when the caller may send; returns the wait in ms (0 when a token was free). */
  async acquire(): Promise<number> {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    const waitMs = Math.ceil((-this.tokens / this.rate) * 1000);
    await this.sleep(waitMs);
    return waitMs;
  }
}

/** Exponential backoff with "equal jitter": half the step fixed, half random; capped. */
export function backoffDelay(attempt: number, options: Pick<HttpOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'random'>, retryAfterMs?: number): number {
  const step = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** attempt);
  const delay = Math.round(step / 2 + (options.random() * step) / 2);
  return retryAfterMs !== undefined ? Math.min(options.backoffMaxMs, Math.max(delay, retryAfterMs)) : delay;
}

function retryAfter(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function decodeBody(bytes: ArrayBuffer | Uint8Array, encoding: 'utf-8' | 'gbk' = 'utf-8'): string {
  return new TextDecoder(encoding).decode(bytes);
}

export class HttpClient {
  readonly options: HttpOptions;
  private readonly buckets = new Map<string, TokenBucket>();
  /** Counters for tests and diagnostics. */
  readonly stats = { requests: 0, retries: 0, throttledMs: 0 };

  constructor(options: Partial<HttpOptions> & { fetch: FetchLike }) {
    this.options = { ...DEFAULT_HTTP, ...options };
  }

  private bucket(host: string): TokenBucket {
    let b = this.buckets.get(host);
    if (!b) {
      b = new TokenBucket(this.options.ratePerSecond, this.options.burst, this.options.now, this.options.sleep);
      this.buckets.set(host, b);
    }
    return b;
  }

  /** GET the URL and return the decoded body; throws ProviderError when every attempt failed. */
  async getText(url: string, options: RequestOptions = {}): Promise<string> {
    const o = this.options;
    const provider = options.provider ?? 'http';
    const host = new URL(url).host;
    const retries = options.retries ?? o.retries;
    const timeoutMs = options.timeoutMs ?? o.timeoutMs;
    let lastError: ProviderError | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        await o.sleep(backoffDelay(attempt - 1, o, lastError?.retryAfterMs));
      }
      this.stats.throttledMs += await this.bucket(host).acquire();
      this.stats.requests++;
      let res: Response;
      try {
        res = await o.fetch(url, {
          headers: { 'User-Agent': USER_AGENT, Accept: '*/*', 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8', ...options.headers },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        lastError = transportError(provider, err, timeoutMs, host);
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        lastError = new ProviderError(provider, 'http', `HTTP ${res.status} from ${host}`, res.status, { retryAfterMs: retryAfter(res) });
        void res.body?.cancel().catch(() => undefined);
        continue;
      }
      if (!res.ok) {
        void res.body?.cancel().catch(() => undefined);
        throw new ProviderError(provider, 'http', `HTTP ${res.status} from ${host}`, res.status);
      }
      try {
        return decodeBody(await res.arrayBuffer(), options.encoding);
      } catch (err) {
        // The connection broke (or timed out) while the body was arriving: retryable.
        lastError = transportError(provider, err, timeoutMs, host);
      }
    }
    throw lastError!;
  }
}

function transportError(provider: ProviderError['provider'], err: unknown, timeoutMs: number, host: string): ProviderError {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ProviderError(provider, 'timeout', `no answer from ${host} within ${timeoutMs} ms`, undefined, { cause: err });
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new ProviderError(provider, 'network', `cannot reach ${host} (${why})`, undefined, { cause: err });
}
