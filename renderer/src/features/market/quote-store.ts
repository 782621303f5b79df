/**
 * The latest quote of every symbol the workstation shows (the Market header, the watchlists):
 * fetched over REST (providers, else the cache's last close marked stale) and kept live by the
 * quote stream (`useQuoteFeed`). Names of symbols without any quote are looked up once.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { getInstrument, getQuotes, type Quote } from '@/api/market';

/** A quote failing here is not worth a message: the row shows "—" and the stream may fill it later. */
const QUIET = [
  ErrorCodes.SYMBOL_NOT_FOUND.code,
  ErrorCodes.MARKET_DATA_UNAVAILABLE.code,
  ErrorCodes.QUOTE_NOT_AVAILABLE.code,
  ErrorCodes.PROVIDER_ERROR.code,
];

export const useQuoteStore = defineStore('quotes', () => {
  const quotes = ref<Record<string, Quote>>({});
  const names = ref<Record<string, string>>({});
  const nameLookups = new Set<string>();

  function apply(quote: Quote): void {
    quotes.value[quote.symbol] = quote;
    if (quote.name) names.value[quote.symbol] = quote.name;
  }

  /** Fetches quotes for `symbols` (all of them, or only those without one yet). */
  async function refresh(symbols: readonly string[], onlyMissing = false): Promise<void> {
    const wanted = onlyMissing ? symbols.filter((s) => !quotes.value[s]) : [...symbols];
    if (wanted.length === 0) return;
    try {
      for (const quote of await getQuotes(wanted, { quiet: QUIET })) apply(quote);
    } catch {
      // Shown as "—"; the stream or the next refresh may fill it.
    }
    for (const symbol of wanted) if (!quotes.value[symbol]) void lookUpName(symbol);
  }

  async function lookUpName(symbol: string): Promise<void> {
    if (names.value[symbol] || nameLookups.has(symbol)) return;
    nameLookups.add(symbol);
    try {
      names.value[symbol] = (await getInstrument(symbol, { quiet: [ErrorCodes.SYMBOL_NOT_FOUND.code] })).name;
    } catch {
      // Unknown to the cache: the row shows the code only.
    }
  }

  function nameOf(symbol: string): string {
    return names.value[symbol] ?? '';
  }

  return { quotes, names, apply, refresh, nameOf };
});
