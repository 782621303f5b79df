/**
 * One interface per capability (quotes, K-lines, the instrument list). Adapters normalise every
 * provider's units: volume in shares, amount in CNY, prices as decimals, times in Beijing time.
 */
import type { components } from '../../../contracts/gen/api';
import type { BarSeries } from '../engine/bars/series';
import type { Period } from '../engine/bars/time';

export type Quote = components['schemas']['Quote'];
export type ProviderId = components['schemas']['ProviderId'];
export type ProviderSettings = components['schemas']['ProviderSettings'];
export type Adjust = components['schemas']['Adjust'];

export const PROVIDER_IDS: readonly ProviderId[] = ['eastmoney', 'sina', 'tencent'];

export interface QuoteProvider {
  readonly id: ProviderId;
  /** Quotes for the symbols the provider knows (unknown ones are simply absent). */
  quotes(symbols: readonly string[]): Promise<Quote[]>;
}

export interface KlineRequest {
  symbol: string;
  period: Period;
  adjust: Adjust;
  /** First date to fetch, `YYYYMMDD` (omit for the whole history). */
  begin?: string;
  /** Last date to fetch, `YYYYMMDD` (omit for "up to now"). */
  end?: string;
}

export interface KlineResult {
  symbol: string;
  /** The provider's name for the instrument, when it sends one. */
  name?: string;
  /** Oldest first; volume in shares, amount in CNY; `ts` in bar time (Beijing wall clock). */
  bars: BarSeries;
}

export interface KlineProvider {
  readonly id: ProviderId;
  /** undefined when the provider does not know the symbol (as opposed to knowing no bars). */
  klines(request: KlineRequest): Promise<KlineResult | undefined>;
}

export interface ListedInstrument {
  symbol: string;
  name: string;
}

export interface InstrumentListProvider {
  readonly id: ProviderId;
  instruments(): Promise<ListedInstrument[]>;
}

/** Reference data of one instrument that quotes and bars do not carry. */
export interface InstrumentProfile {
  symbol: string;
  /** The provider's industry classification (Eastmoney's 行业 board name), when it has one. */
  industry?: string;
  /** YYYY-MM-DD. */
  listDate?: string;
}

export interface InstrumentProfileProvider {
  readonly id: ProviderId;
  /** undefined when the provider does not know the symbol. */
  profile(symbol: string): Promise<InstrumentProfile | undefined>;
}
