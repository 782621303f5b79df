/**
 * The trading rules the order ticket checks with (GET /api/trade/rules, ticket.ts), fetched when
 * the symbol, the account or the day it trades on changes — debounced while the trader types,
 * cached per symbol + account + day, and never stale: while the rules for the current key load,
 * `rules` is undefined (the ticket then claims nothing), and an answer for an earlier key is dropped.
 *
 * The day key: the account's trading day, and the quote the ticket shows (its date, whether it is
 * after the close — an order then belongs to the next session — and its previous close). A new
 * replay step or the first quote of a day changes it; live ticks within a day do not.
 */
import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { ApiError } from '@/api/errors';
import { getTradingRules, type TradingRules } from '@/api/trading';

export const RULES_DEBOUNCE_MS = 250;
const SYMBOL = /^\d{6}\.(SH|SZ|BJ)$/;
const CACHE_MAX = 64;

/** Refusals shown in the ticket rather than toasted. */
const QUIET: readonly number[] = [ErrorCodes.SYMBOL_INVALID.code, ErrorCodes.SYMBOL_NOT_FOUND.code, ErrorCodes.ACCOUNT_NOT_FOUND.code, ErrorCodes.VALIDATION_ERROR.code];

export interface RulesSource {
  symbol: string;
  accountId?: number;
  /** The account's trading day (PaperAccount.day). */
  accountDay?: string;
  /** The shown quote's time (ISO) and previous close. */
  quoteTime?: string;
  prevClose?: number;
}

/** The cache key of a source: symbol, account and what fixes the day (see the header). */
export function rulesKey(source: RulesSource): string {
  const date = source.quoteTime?.slice(0, 10) ?? '';
  const afterClose = (source.quoteTime?.slice(11, 16) ?? '') >= '15:00' ? '+' : '';
  return [source.symbol, source.accountId ?? '', source.accountDay ?? '', `${date}${afterClose}`, source.prevClose ?? ''].join('|');
}

const cache = new Map<string, TradingRules>();

/** For tests: forget every cached answer. */
export function clearRulesCache(): void {
  cache.clear();
}

export function useTradingRules(source: Ref<RulesSource>): { rules: Ref<TradingRules | undefined>; error: Ref<string | undefined>; loading: Ref<boolean> } {
  const rules = shallowRef<TradingRules>();
  const error = ref<string>();
  const loading = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current = '';

  async function load(key: string, s: RulesSource): Promise<void> {
    try {
      const answer = await getTradingRules(s.symbol, s.accountId, { quiet: QUIET });
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(key, answer);
      if (key !== current) return;
      rules.value = answer;
    } catch (e) {
      if (key !== current) return;
      error.value = e instanceof ApiError ? e.message : String(e);
    } finally {
      if (key === current) loading.value = false;
    }
  }

  watch(
    () => rulesKey(source.value),
    (key) => {
      if (key === current) return;
      current = key;
      if (timer) clearTimeout(timer);
      error.value = undefined;
      const s = source.value;
      const hit = cache.get(key);
      rules.value = hit;
      loading.value = !hit && SYMBOL.test(s.symbol);
      if (hit || !loading.value) return;
      timer = setTimeout(() => void load(key, s), RULES_DEBOUNCE_MS);
    },
    { immediate: true },
  );
  onScopeDispose(() => timer && clearTimeout(timer));
  return { rules, error, loading };
}
