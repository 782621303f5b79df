/**
 * A Quote of the `quotes` topic (contracts/market.yaml) as the rules read it: the fields they need,
 * with the ISO time (+08:00) parsed once per quote here rather than by every rule.
 */
import type { QuoteTick } from './types';

/** The Quote fields the rules read (a Quote object can be passed as it is). */
export interface QuoteFields {
  symbol: string;
  name?: string;
  price: number;
  prevClose: number;
  volume?: number;
  /** ISO 8601 with an offset, e.g. 2026-03-02T10:00:03+08:00. */
  time: string;
  stale?: boolean;
}

/** The tick of a quote, or undefined when its time is not a date-time with an offset. */
export function toQuoteTick(quote: QuoteFields): QuoteTick | undefined {
  // An ISO string without an offset would be read as local time: refuse it rather than guess.
  if (!/(?:Z|[+-]\d{2}:\d{2})$/.test(quote.time)) return undefined;
  const timeMs = Date.parse(quote.time);
  if (!Number.isFinite(timeMs)) return undefined;
  const tick: QuoteTick = { symbol: quote.symbol, price: quote.price, prevClose: quote.prevClose, timeMs };
  if (quote.name !== undefined) tick.name = quote.name;
  if (quote.volume !== undefined) tick.volume = quote.volume;
  if (quote.stale !== undefined) tick.stale = quote.stale;
  return tick;
}
