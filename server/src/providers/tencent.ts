/**
 * Tencent real-time quotes (qt.gtimg.cn): GBK text, one `v_sh600519="1~name~code~…";` per code,
 * `~`-separated fields (PROVIDERS.md §4). Volume comes in lots (×100 here); the amount is taken in
 * CNY from field 35 (`price/volume/amount`), else from field 37 in 万元 (×10 000).
 */
import { changeOf } from '../engine/market/quote-diff';
import { beijingIso } from '../engine/market/trading-clock';
import type { ProviderClient } from './client';
import { isoFromCompact, num, positive, quotesInBatches } from './parse';
import { prefixedCode, symbolFromPrefixed } from './sina';
import type { Quote, QuoteProvider } from './types';

export const TENCENT_URL = 'https://qt.gtimg.cn';

export function tencentUrl(codes: readonly string[]): string {
  return `${TENCENT_URL}/q=${codes.join(',')}`;
}

function amountOf(f: readonly string[]): number | undefined {
  const packed = f[35]?.split('/');
  const cny = packed && packed.length >= 3 ? num(packed[2]) : undefined;
  if (cny !== undefined) return cny;
  const wan = num(f[37]);
  return wan !== undefined ? wan * 10_000 : undefined;
}

/** Quotes from a Tencent body; records with too few fields (or `v_pv_none_match`) are skipped. */
export function parseTencent(text: string, nowMs: number): Quote[] {
  const out: Quote[] = [];
  for (const m of text.matchAll(/v_(sh|sz|bj)(\d{6})\s*=\s*"([^"]*)"/g)) {
    const f = m[3]!.split('~');
    if (f.length < 35) continue;
    const last = positive(f[3]);
    const prevClose = positive(f[4]);
    if (last === undefined && prevClose === undefined) continue;
    const price = last ?? prevClose!;
    const computed = changeOf(price, prevClose ?? price);
    const open = positive(f[5]);
    const high = positive(f[33]);
    const low = positive(f[34]);
    const lots = num(f[6]);
    const amount = amountOf(f);
    out.push({
      symbol: symbolFromPrefixed(m[1]!, m[2]!),
      name: f[1]!.trim(),
      price,
      prevClose: prevClose ?? price,
      ...(open !== undefined ? { open } : {}),
      ...(high !== undefined ? { high } : {}),
      ...(low !== undefined ? { low } : {}),
      ...(lots !== undefined ? { volume: lots * 100 } : {}),
      ...(amount !== undefined ? { amount } : {}),
      change: last === undefined ? 0 : (num(f[31]) ?? computed.change),
      changePercent: last === undefined ? 0 : (num(f[32]) ?? computed.changePercent),
      time: isoFromCompact(f[30]!.trim()) ?? beijingIso(nowMs),
      source: 'tencent',
      stale: false,
    });
  }
  return out;
}

export class TencentProvider implements QuoteProvider {
  readonly id = 'tencent' as const;

  constructor(
    private readonly client: ProviderClient,
    private readonly now: () => number = Date.now,
  ) {}

  quotes(symbols: readonly string[]): Promise<Quote[]> {
    return quotesInBatches(symbols, 60, prefixedCode, async (batch) => {
      const text = await this.client.getText(tencentUrl(batch), { encoding: 'gbk', timeoutMs: 3_000, retries: 1 });
      return parseTencent(text, this.now());
    });
  }
}
