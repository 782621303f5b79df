/**
 * Keeps the quotes of `symbols` live while the calling component lives: one REST fetch for the
 * symbols that have no quote yet, then the quote stream (the one SSE client). The stream is
 * reopened fresh when the set of symbols changes, and a fresh (not resumed) connection refetches
 * the snapshot over REST, so nothing said while disconnected is missed.
 */
import { onScopeDispose, watch, type MaybeRefOrGetter, toValue } from 'vue';
import { EventStream } from '@/api/sse';
import { useQuoteStore } from '../quote-store';

/** The stream accepts at most 200 symbols. */
const MAX_STREAMED = 200;

export function useQuoteFeed(symbols: MaybeRefOrGetter<readonly string[]>) {
  const store = useQuoteStore();
  let current: string[] = [];

  const stream = new EventStream('streamQuotes', {
    query: () => ({ symbols: current.join(',') }),
    on: {
      quote: (quote) => store.apply(quote),
      reset: () => void store.refresh(current),
    },
    onOpen: ({ resumed }) => {
      if (!resumed) void store.refresh(current);
    },
  });

  watch(
    () => [...new Set(toValue(symbols))].slice(0, MAX_STREAMED).join(','),
    (key) => {
      current = key ? key.split(',') : [];
      void store.refresh(current, true);
      if (current.length === 0) stream.close();
      else stream.restart({ fresh: true });
    },
    { immediate: true },
  );

  onScopeDispose(() => stream.close());
  return { stream };
}
