/**
 * The providers behind their capability interfaces, each with its own circuit breaker, sharing
 * one HTTP client (one rate limit per host). Which are on and in which order comes from the
 * `providers` setting, read on every call so a settings change applies at once.
 */
import type { components } from '../../../contracts/gen/api';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerOptions, type BreakerState } from './breaker';
import { ProviderClient } from './client';
import { EastmoneyProvider } from './eastmoney';
import { HttpClient, type FetchLike, type HttpOptions } from './http';
import { SinaProvider } from './sina';
import { TencentProvider } from './tencent';
import { PROVIDER_IDS, type InstrumentListProvider, type InstrumentProfileProvider, type KlineProvider, type ProviderId, type ProviderSettings, type QuoteProvider } from './types';

export type ProviderStatus = components['schemas']['ProviderStatus'];
type Capability = ProviderStatus['capabilities'][number];

export interface RegistryOptions {
  fetch: FetchLike;
  /** The `providers` setting (priority order). */
  settings: () => ProviderSettings;
  now?: () => number;
  http?: Partial<Omit<HttpOptions, 'fetch' | 'now'>>;
  breaker?: Partial<Omit<BreakerOptions, 'now'>>;
  /** Told when a provider goes offline (breaker opens) or comes back. */
  onBreakerChange?: (id: ProviderId, from: BreakerState, to: BreakerState) => void;
}

interface Entry {
  id: ProviderId;
  client: ProviderClient;
  quotes?: QuoteProvider;
  kline?: KlineProvider;
  list?: InstrumentListProvider;
  /** Reference data of one instrument; shown as the `instruments` capability, as the list is. */
  profile?: InstrumentProfileProvider;
}

/** The setting as an ordered list of every provider: listed ones first (first mention wins), the rest disabled. */
export function orderProviders(settings: ProviderSettings): { id: ProviderId; enabled: boolean }[] {
  const seen = new Set<ProviderId>();
  const out: { id: ProviderId; enabled: boolean }[] = [];
  for (const p of settings) {
    if (seen.has(p.id) || !PROVIDER_IDS.includes(p.id)) continue;
    seen.add(p.id);
    out.push({ id: p.id, enabled: p.enabled });
  }
  for (const id of PROVIDER_IDS) if (!seen.has(id)) out.push({ id, enabled: false });
  return out;
}

export class ProviderRegistry {
  readonly http: HttpClient;
  private readonly entries = new Map<ProviderId, Entry>();

  constructor(private readonly options: RegistryOptions) {
    const now = options.now ?? Date.now;
    this.http = new HttpClient({ ...options.http, fetch: options.fetch, now });
    const client = (id: ProviderId) => new ProviderClient(id, this.http, new CircuitBreaker({ ...DEFAULT_BREAKER, ...options.breaker, now, onChange: (from, to) => options.onBreakerChange?.(id, from, to) }));
    const clients = { eastmoney: client('eastmoney'), sina: client('sina'), tencent: client('tencent') };
    const eastmoney = new EastmoneyProvider(clients.eastmoney, now);
    const sina = new SinaProvider(clients.sina, now);
    const tencent = new TencentProvider(clients.tencent, now);
    this.entries.set('eastmoney', { id: 'eastmoney', client: clients.eastmoney, quotes: eastmoney, kline: eastmoney, list: eastmoney, profile: eastmoney });
    this.entries.set('sina', { id: 'sina', client: clients.sina, quotes: sina });
    this.entries.set('tencent', { id: 'tencent', client: clients.tencent, quotes: tencent });
  }

  private enabled(): Entry[] {
    return orderProviders(this.options.settings())
      .filter((p) => p.enabled)
      .map((p) => this.entries.get(p.id)!);
  }

  /** Enabled quote providers, highest priority first. */
  quoteProviders(): QuoteProvider[] {
    return this.enabled().flatMap((e) => e.quotes ?? []);
  }

  klineProviders(): KlineProvider[] {
    return this.enabled().flatMap((e) => e.kline ?? []);
  }

  listProviders(): InstrumentListProvider[] {
    return this.enabled().flatMap((e) => e.list ?? []);
  }

  profileProviders(): InstrumentProfileProvider[] {
    return this.enabled().flatMap((e) => e.profile ?? []);
  }

  /** The breaker of a provider (tests and diagnostics). */
  client(id: ProviderId): ProviderClient {
    return this.entries.get(id)!.client;
  }

  /** True when every enabled provider with the capability is behind an open breaker (or none is enabled). */
  offline(capability: Capability): boolean {
    const candidates = this.enabled().filter((e) => this.capabilities(e).includes(capability));
    return candidates.every((e) => e.client.breaker.status().state === 'open');
  }

  status(): ProviderStatus[] {
    let priority = 0;
    return orderProviders(this.options.settings()).map(({ id, enabled }) => {
      const entry = this.entries.get(id)!;
      const b = entry.client.breaker.status();
      return {
        id,
        enabled,
        priority: enabled ? ++priority : 0,
        capabilities: this.capabilities(entry),
        breaker: b.state,
        consecutiveFailures: b.consecutiveFailures,
        ...(b.retryAt !== undefined ? { retryAt: new Date(b.retryAt).toISOString() } : {}),
        ...(b.lastError !== undefined ? { lastError: b.lastError } : {}),
        ...(b.lastSuccessAt !== undefined ? { lastSuccessAt: new Date(b.lastSuccessAt).toISOString() } : {}),
      };
    });
  }

  private capabilities(entry: Entry): Capability[] {
    const caps: Capability[] = [];
    if (entry.quotes) caps.push('quotes');
    if (entry.kline) caps.push('kline');
    if (entry.list) caps.push('instruments');
    return caps;
  }
}
