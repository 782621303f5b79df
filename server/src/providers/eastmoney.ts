/**
 * Eastmoney: historical K-lines (push2his kline/get), batch quotes (push2 ulist.np) and the
 * A-share list (push2 clist, paged). Field layouts and units: /work/shared/PROVIDERS.md §0–§2.
 * Eastmoney volumes are in lots (手) and become shares here (×100); amounts are CNY.
 */
import { classify, parseSymbol } from '../engine/market/symbols';
import { allocateSeries, sliceSeries } from '../engine/bars/series';
import { parseTimeString, type Period } from '../engine/bars/time';
import { beijingIso } from '../engine/market/trading-clock';
import { changeOf } from '../engine/market/quote-diff';
import type { ProviderClient } from './client';
import { ProviderError } from './errors';
import { chunks, isRecord, num, parseJson, positive } from './parse';
import type { InstrumentListProvider, InstrumentProfile, InstrumentProfileProvider, KlineProvider, KlineRequest, KlineResult, ListedInstrument, Quote, QuoteProvider } from './types';

export const EASTMONEY_KLINE_URL = 'https://push2his.eastmoney.com/api/qt/stock/kline/get';
export const EASTMONEY_ULIST_URL = 'https://push2.eastmoney.com/api/qt/ulist.np/get';
export const EASTMONEY_CLIST_URL = 'https://push2.eastmoney.com/api/qt/clist/get';
export const EASTMONEY_STOCK_URL = 'https://push2.eastmoney.com/api/qt/stock/get';

/** 沪深京A股 (akshare and efinance use the same filter). */
export const ALL_A_SHARES_FS = 'm:0 t:6,m:0 t:80,m:1 t:2,m:1 t:23,m:0 t:81 s:2048';

export const KLT: Record<Period, number> = { '1m': 1, '5m': 5, '15m': 15, '30m': 30, '60m': 60, day: 101, week: 102, month: 103 };
export const FQT = { none: 0, qfq: 1, hfq: 2 } as const;

const BSE_PREFIXES = ['43', '83', '87', '92'];

/**
 * The secids to try for a symbol, in order. SSE is market 1 and SZSE market 0; Beijing stocks are
 * listed under market 0 too. An SSE index code such as 000001 must be asked as 1.000001 (the SSE
 * Composite) — 0.000001 is 平安银行 — and CSI-only indices live in market 2, so SSE index codes try
 * 1 and then 2 (akshare tries 1, 0, 2; 0 would be the clash).
 */
export function eastmoneySecids(symbol: string): string[] {
  const parsed = parseSymbol(symbol);
  if (!parsed) return [];
  const { code, exchange } = parsed;
  if (exchange === 'SH') return classify(code, 'SH').kind === 'index' ? [`1.${code}`, `2.${code}`] : [`1.${code}`];
  return [`0.${code}`];
}

/** A row of an Eastmoney list (market number + code) as a symbol; undefined outside SH/SZ/BJ. */
export function symbolFromEastmoney(market: unknown, code: unknown): string | undefined {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return undefined;
  if (market === 1) return `${code}.SH`;
  if (market === 0) return BSE_PREFIXES.includes(code.slice(0, 2)) ? `${code}.BJ` : `${code}.SZ`;
  return undefined;
}

/** `YYYYMMDD` for the kline `beg`/`end` parameters. */
export function compactDate(isoDate: string): string {
  return isoDate.slice(0, 10).replace(/-/g, '');
}

export function klineUrl(secid: string, request: KlineRequest): string {
  const params = new URLSearchParams({
    secid,
    ut: '7eea3edcaed734bea9cbfc24409ed989',
    fields1: 'f1,f2,f3,f4,f5,f6',
    fields2: 'f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61',
    klt: String(KLT[request.period]),
    fqt: String(FQT[request.adjust]),
    beg: request.begin ?? '0',
    end: request.end ?? '20500101',
  });
  return `${EASTMONEY_KLINE_URL}?${params.toString()}`;
}

/**
 * Parses a kline/get answer. `data: null` (unknown secid) → undefined; no `klines` → no bars.
 * Columns follow fields2 f51..f61: date, open, close, high, low, volume (lots), amount (CNY), ….
 * Rows with a missing price or date are skipped; a missing volume or amount counts as 0.
 */
export function parseKline(json: unknown, symbol: string): KlineResult | undefined {
  if (!isRecord(json)) throw new ProviderError('eastmoney', 'parse', 'kline answer is not an object');
  const data = json.data;
  if (!isRecord(data)) return undefined;
  const lines = Array.isArray(data.klines) ? data.klines : [];
  const rows: number[][] = [];
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    const f = line.split(',');
    const ts = parseTimeString((f[0] ?? '').trim());
    const open = num(f[1]);
    const close = num(f[2]);
    const high = num(f[3]);
    const low = num(f[4]);
    if (ts === undefined || open === undefined || close === undefined || high === undefined || low === undefined) continue;
    rows.push([ts, open, high, low, close, (num(f[5]) ?? 0) * 100, num(f[6]) ?? 0]);
  }
  rows.sort((a, b) => a[0]! - b[0]!);
  const bars = allocateSeries(rows.length);
  let n = 0;
  for (const r of rows) {
    if (n > 0 && bars.ts[n - 1] === r[0]) n--; // a repeated time: the later row wins
    bars.ts[n] = r[0]!;
    bars.open[n] = r[1]!;
    bars.high[n] = r[2]!;
    bars.low[n] = r[3]!;
    bars.close[n] = r[4]!;
    bars.volume[n] = r[5]!;
    bars.amount[n] = r[6]!;
    n++;
  }
  const name = typeof data.name === 'string' && data.name.trim() !== '' ? data.name.trim() : undefined;
  return { symbol, ...(name ? { name } : {}), bars: sliceSeries(bars, 0, n) };
}

/** The rows of `data.diff` (a list with np=1, an object keyed "0", "1", … without). */
function diffRows(json: unknown): { total: number | undefined; rows: Record<string, unknown>[] } {
  if (!isRecord(json)) throw new ProviderError('eastmoney', 'parse', 'answer is not an object');
  const data = json.data;
  if (!isRecord(data)) return { total: undefined, rows: [] };
  const diff = Array.isArray(data.diff) ? data.diff : isRecord(data.diff) ? Object.values(data.diff) : [];
  return { total: num(data.total), rows: diff.filter(isRecord) };
}

/** stock/get fields of a profile (PROVIDERS.md §2c): code, name, industry, listing date. */
export const PROFILE_FIELDS = 'f57,f58,f127,f189';

export function stockUrl(secid: string): string {
  const params = new URLSearchParams({ fltt: '2', invt: '2', fields: PROFILE_FIELDS, secid });
  return `${EASTMONEY_STOCK_URL}?${params.toString()}`;
}

/**
 * A stock/get answer as a profile: undefined when `data` is null (an unknown secid) or names
 * another code. Eastmoney answers '-' for a field it has no value for; the listing date is a
 * number YYYYMMDD.
 */
export function parseProfile(json: unknown, symbol: string): InstrumentProfile | undefined {
  if (!isRecord(json)) throw new ProviderError('eastmoney', 'parse', 'answer is not an object');
  const data = json.data;
  if (!isRecord(data) || String(data.f57) !== symbol.slice(0, 6)) return undefined;
  const profile: InstrumentProfile = { symbol };
  if (typeof data.f127 === 'string' && data.f127.trim() !== '' && data.f127.trim() !== '-') profile.industry = data.f127.trim();
  const listed = String(num(data.f189) ?? '');
  if (/^(19|20)\d{6}$/.test(listed)) profile.listDate = `${listed.slice(0, 4)}-${listed.slice(4, 6)}-${listed.slice(6, 8)}`;
  return profile;
}

export const QUOTE_FIELDS = 'f2,f3,f4,f5,f6,f12,f13,f14,f15,f16,f17,f18,f124';

export function ulistUrl(secids: readonly string[]): string {
  const params = new URLSearchParams({ fltt: '2', invt: '2', fields: QUOTE_FIELDS, secids: secids.join(',') });
  return `${EASTMONEY_ULIST_URL}?${params.toString()}`;
}

/**
 * Parses ulist.np rows (fltt=2: decimal prices). `bySecid` maps the secids asked back to symbols,
 * which also settles the 1.000001 / 0.000001 clash. Before the first trade of the day the price is
 * `-`: the quote then shows the previous close with no change (what trading terminals show).
 */
export function parseUlist(json: unknown, bySecid: ReadonlyMap<string, string>, nowMs: number): Quote[] {
  const out: Quote[] = [];
  for (const row of diffRows(json).rows) {
    const symbol = bySecid.get(`${String(row.f13)}.${String(row.f12)}`);
    if (!symbol) continue;
    const last = positive(row.f2);
    const prevClose = positive(row.f18);
    if (last === undefined && prevClose === undefined) continue;
    const price = last ?? prevClose!;
    const computed = changeOf(price, prevClose ?? price);
    const time = num(row.f124);
    const open = positive(row.f17);
    const high = positive(row.f15);
    const low = positive(row.f16);
    const volume = num(row.f5);
    const amount = num(row.f6);
    out.push({
      symbol,
      name: typeof row.f14 === 'string' && row.f14 !== '-' ? row.f14 : '',
      price,
      prevClose: prevClose ?? price,
      ...(open !== undefined ? { open } : {}),
      ...(high !== undefined ? { high } : {}),
      ...(low !== undefined ? { low } : {}),
      ...(volume !== undefined ? { volume: volume * 100 } : {}),
      ...(amount !== undefined ? { amount } : {}),
      change: last === undefined ? 0 : (num(row.f4) ?? computed.change),
      changePercent: last === undefined ? 0 : (num(row.f3) ?? computed.changePercent),
      time: beijingIso(time !== undefined && time > 0 ? time * 1000 : nowMs),
      source: 'eastmoney',
      stale: false,
    });
  }
  return out;
}

export function clistUrl(page: number, pageSize: number): string {
  const params = new URLSearchParams({
    pn: String(page),
    pz: String(pageSize),
    po: '1',
    np: '1',
    ut: 'bd1d9ddb04089700cf9c27f6f7426281',
    fltt: '2',
    invt: '2',
    fid: 'f12',
    fs: ALL_A_SHARES_FS,
    fields: 'f12,f13,f14',
  });
  return `${EASTMONEY_CLIST_URL}?${params.toString()}`;
}

export function parseClist(json: unknown): { total: number | undefined; instruments: ListedInstrument[] } {
  const { total, rows } = diffRows(json);
  const instruments: ListedInstrument[] = [];
  for (const row of rows) {
    const symbol = symbolFromEastmoney(row.f13, row.f12);
    const name = typeof row.f14 === 'string' ? row.f14.trim() : '';
    if (symbol && name && name !== '-') instruments.push({ symbol, name });
  }
  return { total, instruments };
}

export class EastmoneyProvider implements QuoteProvider, KlineProvider, InstrumentListProvider, InstrumentProfileProvider {
  readonly id = 'eastmoney' as const;
  static readonly PAGE_SIZE = 100;
  static readonly MAX_PAGES = 200;

  constructor(
    private readonly client: ProviderClient,
    private readonly now: () => number = Date.now,
  ) {}

  async klines(request: KlineRequest): Promise<KlineResult | undefined> {
    for (const secid of eastmoneySecids(request.symbol)) {
      const text = await this.client.getText(klineUrl(secid, request), { timeoutMs: 10_000 });
      const result = parseKline(parseJson('eastmoney', text), request.symbol);
      if (result) return result;
    }
    return undefined;
  }

  async quotes(symbols: readonly string[]): Promise<Quote[]> {
    const candidates = new Map(symbols.map((s) => [s, eastmoneySecids(s)] as const));
    const found = new Map<string, Quote>();
    // Round 0 asks each symbol's first secid; round 1 the alternatives of those still missing.
    for (let round = 0; round < 2; round++) {
      const bySecid = new Map<string, string>();
      for (const [symbol, secids] of candidates) {
        const secid = secids[round];
        if (secid && !found.has(symbol)) bySecid.set(secid, symbol);
      }
      if (bySecid.size === 0) break;
      for (const batch of chunks([...bySecid.keys()], 100)) {
        const text = await this.client.getText(ulistUrl(batch), { timeoutMs: 3_000, retries: 1 });
        for (const q of parseUlist(parseJson('eastmoney', text), bySecid, this.now())) found.set(q.symbol, q);
      }
    }
    return symbols.flatMap((s) => found.get(s) ?? []);
  }

  async profile(symbol: string): Promise<InstrumentProfile | undefined> {
    for (const secid of eastmoneySecids(symbol)) {
      const text = await this.client.getText(stockUrl(secid), { timeoutMs: 5_000, retries: 1 });
      const profile = parseProfile(parseJson('eastmoney', text), symbol);
      if (profile) return profile;
    }
    return undefined;
  }

  async instruments(): Promise<ListedInstrument[]> {
    const seen = new Map<string, ListedInstrument>();
    let pages = 1;
    for (let page = 1; page <= pages && page <= EastmoneyProvider.MAX_PAGES; page++) {
      const text = await this.client.getText(clistUrl(page, EastmoneyProvider.PAGE_SIZE), { timeoutMs: 10_000 });
      const json = parseJson('eastmoney', text);
      const { total, instruments } = parseClist(json);
      const rows = diffRows(json).rows.length;
      if (rows === 0) break;
      // The server may send fewer rows than asked: the page count comes from what it sent.
      if (page === 1 && total !== undefined) pages = Math.ceil(total / rows);
      for (const i of instruments) seen.set(i.symbol, i);
    }
    if (seen.size === 0) throw new ProviderError('eastmoney', 'parse', 'the A-share list came back empty');
    return [...seen.values()];
  }
}
