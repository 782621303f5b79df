/**
 * The market-data cache in SQLite: instruments, series (one per instrument × period × adjustment,
 * which is also the coverage) and bars. Prepared statements only; bulk writes in transactions.
 */
import type { components } from '../../../../contracts/gen/api';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../platform/db/database';
import { DataVersion } from '../../platform/db/data-version';
import { classify, isSpecialTreatment, parseSymbol } from '../../engine/market/symbols';
import { allocateSeries, sliceSeries, type BarSeries } from '../../engine/bars/series';
import { formatTs, type Period } from '../../engine/bars/time';
import { pinyinInitials } from './pinyin';
import { TradingCalendar } from './trading-calendar';

export type Instrument = components['schemas']['Instrument'];
export type Adjust = components['schemas']['Adjust'];
export type Coverage = components['schemas']['Coverage'];

interface InstrumentRow {
  id: number;
  symbol: string;
  code: string;
  exchange: 'SH' | 'SZ' | 'BJ';
  name: string;
  pinyin: string;
  kind: Instrument['kind'];
  board: Instrument['board'];
  is_st: number;
  list_date: string | null;
  industry: string | null;
  profiled_at: string | null;
}

export interface SeriesInfo {
  id: number;
  instrumentId: number;
  period: Period;
  adjust: Adjust;
  firstTs: number | null;
  lastTs: number | null;
  bars: number;
  /** Changes whenever the series is written (also by the import worker's connection). */
  updatedAt: string;
}

const toInstrument = (r: InstrumentRow): Instrument => ({
  symbol: r.symbol,
  code: r.code,
  exchange: r.exchange,
  name: r.name,
  pinyin: r.pinyin,
  kind: r.kind,
  board: r.board,
  isSt: r.is_st === 1,
  listDate: r.list_date,
});

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class MarketRepository {
  private readonly stmt;

  /** Series rows by symbol|period|adjust (`info` undefined: none), valid while `memoVersion` is the data version. */
  private readonly seriesMemo = new LRUCache<string, { info: SeriesInfo | undefined }>({ max: 4096 });
  private memoVersion = -1;
  private readonly version: DataVersion;

  constructor(private readonly db: Db) {
    this.version = DataVersion.of(db);
    this.stmt = {
      instrumentBySymbol: db.prepare<[string], InstrumentRow>('SELECT * FROM instruments WHERE symbol = ?'),
      insertInstrument: db.prepare(
        `INSERT INTO instruments (symbol, code, exchange, name, pinyin, kind, board, is_st, list_date, updated_at)
         VALUES (@symbol, @code, @exchange, @name, @pinyin, @kind, @board, @isSt, @listDate, @now)`,
      ),
      setProfile: db.prepare(
        `UPDATE instruments SET industry = coalesce(@industry, industry), list_date = coalesce(@listDate, list_date), profiled_at = @now
          WHERE symbol = @symbol`,
      ),
      renameInstrument: db.prepare(
        'UPDATE instruments SET name = @name, pinyin = @pinyin, is_st = @isSt, updated_at = @now WHERE id = @id AND name IS NOT @name',
      ),
      search: db.prepare<{ q: string; symbol: string; prefix: string; contains: string; limit: number }, InstrumentRow>(
        `SELECT * FROM instruments
          WHERE code LIKE @prefix ESCAPE '\\' OR pinyin LIKE @prefix ESCAPE '\\' OR name LIKE @contains ESCAPE '\\'
          ORDER BY symbol = @symbol DESC, code = @q DESC, code LIKE @prefix ESCAPE '\\' DESC, pinyin LIKE @prefix ESCAPE '\\' DESC,
                   kind = 'stock' DESC, length(pinyin), code
          LIMIT @limit`,
      ),
      seriesByKey: db.prepare<[number, string, string], { id: number }>(
        'SELECT id FROM series WHERE instrument_id = ? AND period = ? AND adjust = ?',
      ),
      insertSeries: db.prepare('INSERT INTO series (instrument_id, period, adjust, updated_at) VALUES (?, ?, ?, ?)'),
      seriesFor: db.prepare<[string, string, string], { id: number; instrument_id: number; first_ts: number | null; last_ts: number | null; bars: number; updated_at: string }>(
        `SELECT s.id, s.instrument_id, s.first_ts, s.last_ts, s.bars, s.updated_at FROM series s JOIN instruments i ON i.id = s.instrument_id
          WHERE i.symbol = ? AND s.period = ? AND s.adjust = ?`,
      ),
      upsertBar: db.prepare(`INSERT INTO bars (series_id, ts, open, high, low, close, volume, amount) VALUES ${rows(1, BAR)} ${UPSERT_BAR}`),
      upsertBars: db.prepare(`INSERT INTO bars (series_id, ts, open, high, low, close, volume, amount) VALUES ${rows(BULK_ROWS, BAR)} ${UPSERT_BAR}`),
      seriesState: db.prepare<[number], { first_ts: number | null; last_ts: number | null; bars: number }>('SELECT first_ts, last_ts, bars FROM series WHERE id = ?'),
      setCoverage: db.prepare('UPDATE series SET first_ts = @first, last_ts = @last, bars = @bars, source = @source, updated_at = @now WHERE id = @id'),
      refreshSeries: db.prepare(
        `UPDATE series SET (first_ts, last_ts, bars) = (SELECT min(ts), max(ts), count(*) FROM bars WHERE series_id = @id),
                           source = @source, updated_at = @now
          WHERE id = @id`,
      ),
      bars: db.prepare<[number, number, number], [number, number, number, number, number, number, number]>(
        'SELECT ts, open, high, low, close, volume, amount FROM bars WHERE series_id = ? AND ts BETWEEN ? AND ? ORDER BY ts',
      ),
      lastBars: db.prepare<[number, number, number, number], [number, number, number, number, number, number, number]>(
        'SELECT ts, open, high, low, close, volume, amount FROM bars WHERE series_id = ? AND ts BETWEEN ? AND ? ORDER BY ts DESC LIMIT ?',
      ),
      coverage: db.prepare<{ symbol: string | null; period: string | null }, {
        symbol: string; name: string; period: Period; adjust: Adjust; first_ts: number | null; last_ts: number | null; bars: number; source: string; updated_at: string;
      }>(
        `SELECT i.symbol, i.name, s.period, s.adjust, s.first_ts, s.last_ts, s.bars, s.source, s.updated_at
           FROM series s JOIN instruments i ON i.id = s.instrument_id
          WHERE s.bars > 0 AND (@symbol IS NULL OR i.symbol = @symbol) AND (@period IS NULL OR s.period = @period)
          ORDER BY i.symbol, CASE s.period WHEN '1m' THEN 1 WHEN '5m' THEN 2 WHEN '15m' THEN 3 WHEN '30m' THEN 4
                   WHEN '60m' THEN 5 WHEN 'day' THEN 6 WHEN 'week' THEN 7 ELSE 8 END, s.adjust`,
      ),
      deleteSeries: db.prepare<{ symbol: string; period: string | null; adjust: string | null }>(
        `DELETE FROM series WHERE instrument_id = (SELECT id FROM instruments WHERE symbol = @symbol)
           AND (@period IS NULL OR period = @period) AND (@adjust IS NULL OR adjust = @adjust)`,
      ),
      countBars: db.prepare<{ symbol: string; period: string | null; adjust: string | null }, { n: number }>(
        `SELECT coalesce(sum(bars), 0) AS n FROM series WHERE instrument_id = (SELECT id FROM instruments WHERE symbol = @symbol)
           AND (@period IS NULL OR period = @period) AND (@adjust IS NULL OR adjust = @adjust)`,
      ),
      addTradingDay: db.prepare('INSERT OR IGNORE INTO trading_days (date) VALUES (?)'),
      addTradingDays: db.prepare(`INSERT OR IGNORE INTO trading_days (date) VALUES ${rows(BULK_ROWS, '(?)')}`),
      allTradingDays: db.prepare<[], string>('SELECT date FROM trading_days ORDER BY date').pluck(),
      anyInstrument: db.prepare<[], number>('SELECT 1 FROM instruments LIMIT 1').pluck(),
      latestTradingDay: db.prepare<[], { date: string | null }>('SELECT max(date) AS date FROM trading_days'),
      factors: db.prepare<[number], { date: string; factor: number }>('SELECT date, factor FROM adj_factors WHERE instrument_id = ? ORDER BY date'),
    };
  }

  private tradingCalendar?: TradingCalendar;

  /** The trading calendar as this cache knows it (its trading_days). */
  get calendar(): TradingCalendar {
    return (this.tradingCalendar ??= new TradingCalendar(this.db));
  }

  getInstrument(symbol: string): Instrument | undefined {
    const row = this.stmt.instrumentBySymbol.get(symbol);
    return row ? toInstrument(row) : undefined;
  }

  /** The industry and when the providers were last asked for it (null: never, or none known). */
  profileOf(symbol: string): { industry: string | null; profiledAt: string | null } | undefined {
    const row = this.stmt.instrumentBySymbol.get(symbol);
    return row ? { industry: row.industry, profiledAt: row.profiled_at } : undefined;
  }

  /** Stores what a provider knows of an instrument (absent fields keep what is stored) and when it was asked. */
  setProfile(symbol: string, profile: { industry?: string; listDate?: string }, now: string): void {
    this.stmt.setProfile.run({ symbol, industry: profile.industry ?? null, listDate: profile.listDate ?? null, now });
  }

  /**
   * The instrument's id, creating it from the symbol when new. A non-empty `name` (re)names it and
   * recomputes its pinyin initials and ST flag.
   */
  ensureInstrument(symbol: string, name?: string, listDate?: string): number {
    const parsed = parseSymbol(symbol);
    if (!parsed) throw new Error(`not a symbol: ${symbol}`);
    const now = new Date().toISOString();
    const cleanName = name?.trim() ?? '';
    const existing = this.stmt.instrumentBySymbol.get(symbol);
    if (existing) {
      if (cleanName) {
        this.stmt.renameInstrument.run({ id: existing.id, name: cleanName, pinyin: pinyinInitials(cleanName), isSt: isSpecialTreatment(cleanName) ? 1 : 0, now });
      }
      return existing.id;
    }
    const { kind, board } = classify(parsed.code, parsed.exchange);
    const info = this.stmt.insertInstrument.run({
      symbol,
      code: parsed.code,
      exchange: parsed.exchange,
      name: cleanName,
      pinyin: cleanName ? pinyinInitials(cleanName) : '',
      kind,
      board,
      isSt: isSpecialTreatment(cleanName) ? 1 : 0,
      listDate: listDate ?? null,
      now,
    });
    return Number(info.lastInsertRowid);
  }

  /** By code, pinyin initials or name; `600000.SH` and TDX-style `sh600000` put that exact symbol first. */
  search(query: string, limit: number): Instrument[] {
    const text = query.trim().toLowerCase();
    const dotted = /^(\d{6})\.(sh|sz|bj)$/.exec(text);
    const prefixed = /^(sh|sz|bj)(\d{6})$/.exec(text);
    const q = dotted?.[1] ?? prefixed?.[2] ?? text;
    const symbol = dotted ? `${dotted[1]}.${dotted[2]!.toUpperCase()}` : prefixed ? `${prefixed[2]}.${prefixed[1]!.toUpperCase()}` : '';
    return this.stmt.search.all({ q, symbol, prefix: likePrefix(q), contains: `%${likePrefix(query.trim())}`, limit }).map(toInstrument);
  }

  /** The series id for instrument × period × adjustment, created when missing. */
  ensureSeries(instrumentId: number, period: Period, adjust: Adjust): number {
    const row = this.stmt.seriesByKey.get(instrumentId, period, adjust);
    if (row) return row.id;
    return Number(this.stmt.insertSeries.run(instrumentId, period, adjust, new Date().toISOString()).lastInsertRowid);
  }

  /**
   * The series row, remembered until the database changes: every K-line request looks its series
   * up a few times, and the join costs twice the version check. The data version sees every write,
   * through this connection or another (the import worker's), so no writer has to say it wrote.
   */
  findSeries(symbol: string, period: Period, adjust: Adjust): SeriesInfo | undefined {
    // Inside a transaction the row may still be rolled back: read it, remember nothing.
    const remember = !this.db.inTransaction;
    const key = `${symbol}|${period}|${adjust}`;
    if (remember) {
      const version = this.version.current();
      if (version !== this.memoVersion) {
        this.seriesMemo.clear();
        this.memoVersion = version;
      }
      const hit = this.seriesMemo.get(key);
      if (hit) return hit.info;
    }
    const row = this.stmt.seriesFor.get(symbol, period, adjust);
    const info = !row || row.bars === 0 ? undefined : { id: row.id, instrumentId: row.instrument_id, period, adjust, firstTs: row.first_ts, lastTs: row.last_ts, bars: row.bars, updatedAt: row.updated_at };
    // Read after the version check: a commit in between makes the next check drop it.
    if (remember) this.seriesMemo.set(key, { info });
    return info;
  }

  /**
   * Upserts bars (sorted by time) into a series and updates its coverage; returns how many were
   * new or changed (0 when the same data is written again). Every writer (imports, the K-line
   * filler) comes here: multi-row upserts, which cost no more than plain multi-row INSERTs and a
   * third less than one upsert per bar. When the bars all come after what the series holds (an
   * empty series, newer data) the coverage is computed, not scanned. `onProgress(written)` is
   * called every 16,384 bars. Call inside a transaction for all-or-nothing files.
   */
  writeBars(seriesId: number, bars: BarSeries, source: string, onProgress?: (written: number) => void): number {
    const n = bars.length;
    if (n === 0) return 0;
    const state = this.stmt.seriesState.get(seriesId);
    if (!state) throw new Error(`no series ${seriesId}`);
    const { ts, open, high, low, close, volume, amount } = bars;
    let changed = 0;
    const args: number[] = new Array<number>(BULK_ROWS * 8);
    let i = 0;
    for (; i + BULK_ROWS <= n; i += BULK_ROWS) {
      for (let k = 0, a = 0; k < BULK_ROWS; k++) {
        const j = i + k;
        args[a++] = seriesId;
        args[a++] = ts[j]!;
        args[a++] = open[j]!;
        args[a++] = high[j]!;
        args[a++] = low[j]!;
        args[a++] = close[j]!;
        args[a++] = volume[j]!;
        args[a++] = amount[j]!;
      }
      changed += this.stmt.upsertBars.run(args).changes;
      if (onProgress && ((i + BULK_ROWS) & 0x3fff) === 0) onProgress(i + BULK_ROWS);
    }
    for (; i < n; i++) changed += this.stmt.upsertBar.run(seriesId, ts[i], open[i], high[i], low[i], close[i], volume[i], amount[i]).changes;
    if (changed === 0) return 0;
    const now = new Date().toISOString();
    if (appends(state, ts)) {
      this.stmt.setCoverage.run({ id: seriesId, first: state.bars === 0 ? ts[0] : state.first_ts, last: ts[n - 1], bars: state.bars + n, source, now });
    } else {
      this.stmt.refreshSeries.run({ id: seriesId, source, now });
    }
    return changed;
  }

  /** Bars with from ≤ ts ≤ to, oldest first; with `limit`, the newest `limit` of them. */
  readBars(series: SeriesInfo, from = -Infinity, to = Infinity, limit?: number): BarSeries {
    const lo = Number.isFinite(from) ? from : -1e15;
    const hi = Number.isFinite(to) ? to : 1e15;
    const out = allocateSeries(limit !== undefined ? Math.min(limit, series.bars) : series.bars);
    const rows = limit !== undefined ? this.stmt.lastBars.raw().iterate(series.id, lo, hi, limit) : this.stmt.bars.raw().iterate(series.id, lo, hi);
    let n = 0;
    for (const r of rows) {
      out.ts[n] = r[0];
      out.open[n] = r[1];
      out.high[n] = r[2];
      out.low[n] = r[3];
      out.close[n] = r[4];
      out.volume[n] = r[5];
      out.amount[n] = r[6];
      n++;
    }
    const result = sliceSeries(out, 0, n);
    if (limit !== undefined) for (const col of [result.ts, result.open, result.high, result.low, result.close, result.volume, result.amount]) col.reverse();
    return result;
  }

  adjustmentFactors(instrumentId: number): { date: string; factor: number }[] {
    return this.stmt.factors.all(instrumentId);
  }

  coverage(symbol?: string, period?: Period): Coverage[] {
    return this.stmt.coverage.all({ symbol: symbol ?? null, period: period ?? null }).map((r) => ({
      symbol: r.symbol,
      name: r.name,
      period: r.period,
      adjust: r.adjust,
      first: r.first_ts === null ? '' : formatTs(r.first_ts, r.period),
      last: r.last_ts === null ? '' : formatTs(r.last_ts, r.period),
      bars: r.bars,
      source: r.source,
      updatedAt: r.updated_at,
    }));
  }

  /** Deletes the matching series and their bars (cascade); returns how many bars went. */
  deleteBars(symbol: string, period?: Period, adjust?: Adjust): number {
    const key = { symbol, period: period ?? null, adjust: adjust ?? null };
    return this.db.transaction(() => {
      const { n } = this.stmt.countBars.get(key)!;
      this.stmt.deleteSeries.run(key);
      return n;
    }).immediate();
  }

  /** Adds `YYYY-MM-DD` dates (multi-row INSERT OR IGNORE). */
  addTradingDays(dates: readonly string[]): void {
    let i = 0;
    for (; i + BULK_ROWS <= dates.length; i += BULK_ROWS) this.stmt.addTradingDays.run(dates.slice(i, i + BULK_ROWS));
    for (; i < dates.length; i++) this.stmt.addTradingDay.run(dates[i]);
  }

  /** Every known trading day (`YYYY-MM-DD`), oldest first. */
  tradingDays(): string[] {
    return this.stmt.allTradingDays.all();
  }

  latestTradingDay(): string | undefined {
    return this.stmt.latestTradingDay.get()?.date ?? undefined;
  }

  /** True once the cache knows any instrument (the first-launch sample import checks it). */
  hasInstruments(): boolean {
    return this.stmt.anyInstrument.get() !== undefined;
  }
}

/** Rows per multi-row statement (8 parameters each for bars: 512, under SQLite's limit of 32,766). */
const BULK_ROWS = 64;
const BAR = '(?, ?, ?, ?, ?, ?, ?, ?)';
const rows = (n: number, row: string) => Array.from({ length: n }, () => row).join(', ');

/** Only real changes count (and touch the page): writing the same bars again changes nothing. */
const UPSERT_BAR = `ON CONFLICT (series_id, ts) DO UPDATE SET
  open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
  volume = excluded.volume, amount = excluded.amount
WHERE open IS NOT excluded.open OR high IS NOT excluded.high OR low IS NOT excluded.low
   OR close IS NOT excluded.close OR volume IS NOT excluded.volume OR amount IS NOT excluded.amount`;

/** Whether `ts` (strictly increasing) all comes after what the series holds: then every bar was new. */
function appends(state: { last_ts: number | null; bars: number }, ts: Float64Array): boolean {
  if (state.bars > 0 && (state.last_ts === null || ts[0]! <= state.last_ts)) return false;
  for (let i = 1; i < ts.length; i++) if (!(ts[i]! > ts[i - 1]!)) return false;
  return true;
}
