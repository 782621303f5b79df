/**
 * Quotes of `symbols` and the replay's state, live, from the one quote stream: `quote` events go
 * to the quote store, `replay` events to the replay store (the server sends those to every quote
 * stream, whatever its symbols). The market page has its own feed (quotes only); pages that trade
 * use this one so a replay's clock and its quotes need one connection, not two.
 */
import { onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { getQuotes, type Quote } from '@/api/market';
import { EventStream } from '@/api/sse';
import { useQuoteStore } from '@/features/market/quote-store';
import { useReplayStore } from './store';

/** A quote failing here is not worth a message: the row shows "—" (as in the quote store). */
const QUIET = [
  ErrorCodes.SYMBOL_NOT_FOUND.code,
  ErrorCodes.MARKET_DATA_UNAVAILABLE.code,
  ErrorCodes.QUOTE_NOT_AVAILABLE.code,
  ErrorCodes.PROVIDER_ERROR.code,
];

/** The stream accepts at most 200 symbols. */
const MAX_STREAMED = 200;

export function useMarketFeed(symbols: MaybeRefOrGetter<readonly string[]>) {
  const quotes = useQuoteStore();
  const replay = useReplayStore();
  let current: string[] = [];

  /**
   * A replayed quote stands while its replay is not idle: a REST snapshot (the cache's last close,
   * or a live quote) would otherwise revalue a replay account's positions at another day's price.
   */
  function keepsReplayed(quote: Quote): boolean {
    const held = quotes.quotes[quote.symbol];
    const state = replay.state;
    return held?.source === 'replay' && quote.source !== 'replay' && !!state && state.state !== 'idle' && state.symbols.includes(quote.symbol);
  }

  async function snapshot(symbols: readonly string[], onlyMissing = false): Promise<void> {
    const wanted = onlyMissing ? symbols.filter((s) => !quotes.quotes[s]) : [...symbols];
    if (wanted.length === 0) return;
    try {
      for (const quote of await getQuotes(wanted, { quiet: QUIET })) if (!keepsReplayed(quote)) quotes.apply(quote);
    } catch {
      // Shown as "—"; the stream may fill it.
    }
    // Names of symbols without any quote (the quote store looks each up once).
    void quotes.refresh(wanted.filter((s) => !quotes.quotes[s]));
  }

  const stream = new EventStream('streamQuotes', {
    query: () => ({ symbols: current.join(',') }),
    on: {
      quote: (quote) => quotes.apply(quote),
      replay: (state) => replay.apply(state),
      reset: () => {
        void snapshot(current);
        void replay.load().catch(() => undefined);
      },
    },
    onOpen: ({ resumed }) => {
      if (resumed) return;
      void snapshot(current);
      void replay.load().catch(() => undefined);
    },
  });

  // Without any symbol the stream cannot open: the replay's state is then fetched once.
  void replay.load().catch(() => undefined);

  watch(
    () => [...new Set(toValue(symbols))].filter(Boolean).slice(0, MAX_STREAMED).join(','),
    (key) => {
      current = key ? key.split(',') : [];
      void snapshot(current, true);
      if (current.length === 0) stream.close();
      else stream.restart({ fresh: true });
    },
    { immediate: true },
  );

  onScopeDispose(() => stream.close());
  return { stream };
}
