/**
 * Sina real-time quotes (hq.sinajs.cn): GBK text, one `var hq_str_sh600000="…";` per code, fields
 * by index (PROVIDERS.md §3). Volume is already in shares and amount in CNY. A Sina Referer is
 * required; an empty string means unknown or suspended and is skipped.
 */
import { parseSymbol } from '../engine/market/symbols';
import { changeOf } from '../engine/market/quote-diff';
import { beijingIso } from '../engine/market/trading-clock';
import type { ProviderClient } from './client';
import { isoBeijing, num, positive, quotesInBatches } from './parse';
import type { Quote, QuoteProvider } from './types';

export const SINA_URL = 'https://hq.sinajs.cn';
export const SINA_REFERER = 'https://finance.sina.com.cn/';

/** `sh600000`, `sz000001`, `bj430047` (Tencent uses the same). */
export function prefixedCode(symbol: string): string | undefined {
  const p = parseSymbol(symbol);
  return p ? `${p.exchange.toLowerCase()}${p.code}` : undefined;
}

export function symbolFromPrefixed(prefix: string, code: string): string {
  return `${code}.${prefix.toUpperCase()}`;
}

export function sinaUrl(codes: readonly string[], nowMs: number): string {
  return `${SINA_URL}/rn=${nowMs}&list=${codes.join(',')}`;
}

/**
 * Quotes from a Sina body. Before the first trade the last price is 0: the quote then shows the
 * previous close with no change. Fields after index 32 (newer captures append some) are ignored.
 */
export function parseSina(text: string, nowMs: number): Quote[] {
  const out: Quote[] = [];
  for (const m of text.matchAll(/hq_str_(sh|sz|bj)(\d{6})\s*=\s*"([^"]*)"/g)) {
    const body = m[3]!;
    if (body.trim() === '') continue;
    const f = body.split(',');
    if (f.length < 32) continue;
    const last = positive(f[3]);
    const prevClose = positive(f[2]);
    if (last === undefined && prevClose === undefined) continue;
    const price = last ?? prevClose!;
    const { change, changePercent } = changeOf(price, prevClose ?? price);
    const open = positive(f[1]);
    const high = positive(f[4]);
    const low = positive(f[5]);
    const volume = num(f[8]);
    const amount = num(f[9]);
    out.push({
      symbol: symbolFromPrefixed(m[1]!, m[2]!),
      name: f[0]!.trim(),
      price,
      prevClose: prevClose ?? price,
      ...(open !== undefined ? { open } : {}),
      ...(high !== undefined ? { high } : {}),
      ...(low !== undefined ? { low } : {}),
      ...(volume !== undefined ? { volume } : {}),
      ...(amount !== undefined ? { amount } : {}),
      change,
      changePercent,
      time: isoBeijing(f[30]!.trim(), f[31]!.trim()) ?? beijingIso(nowMs),
      source: 'sina',
      stale: false,
    });
  }
  return out;
}

export class SinaProvider implements QuoteProvider {
  readonly id = 'sina' as const;

  constructor(
    private readonly client: ProviderClient,
    private readonly now: () => number = Date.now,
  ) {}

  quotes(symbols: readonly string[]): Promise<Quote[]> {
    return quotesInBatches(symbols, 800, prefixedCode, async (batch) => {
      const text = await this.client.getText(sinaUrl(batch, this.now()), {
        headers: { Referer: SINA_REFERER },
        encoding: 'gbk',
        timeoutMs: 3_000,
        retries: 1,
      });
      return parseSina(text, this.now());
    });
  }
}
