/**
 * TDX (通达信) vipdoc binary files: `.day` daily bars and `.lc1`/`.lc5` minute bars, 32-byte
 * little-endian records (formats in ../shared/data/README.md). The file name says the instrument
 * (`sh600000.day` → 600000.SH); the instrument's type says the units, as TDX stores them:
 *
 *   type                                   .day price   volume stored in
 *   A/B shares SZ, A shares SH/BJ          × 100        shares
 *   SH B shares (900xxx)                   × 1000       shares
 *   indices (sh000/880/999, sz399, bj899)  × 100        lots of 100 (→ × 100)
 *   SH funds and bonds                     × 1000       lots (→ × 100 funds, × 10 bonds)
 *   SZ funds and bonds                     × 1000       shares / bonds
 *
 * Minute files store f32 prices; they are rounded to the instrument's tick (0.01 or 0.001).
 * Validation rejects what cannot be real (bad dates, times not strictly increasing, non-finite or
 * negative amounts, a truncated last record) with the 1-based record number. Prices out of order
 * (sh000001.day has 16 such bars in 1991–95, one with high < low) are kept and counted.
 */
import { allocateSeries, setBar, sliceSeries, type BarSeries } from '../bars/series';
import type { Period } from '../bars/time';
import { classify, exchangeFromPrefix, toSymbol, type Exchange } from '../market/symbols';
import { civilTs, isValidDate } from './civil';
import { emptyNotes, ImportProblem, noteAnomaly, type ParseNotes } from './problem';

export const TDX_RECORD_BYTES = 32;

export interface TdxFileInfo {
  symbol: string;
  code: string;
  exchange: Exchange;
  period: Extract<Period, 'day' | '1m' | '5m'>;
  /** Stored price units per currency unit (.day): 100 or 1000. */
  priceScale: number;
  /** Multiplier from the stored volume to shares (or bonds). */
  volumeFactor: number;
}

const FILE_NAME = /^(sh|sz|bj)(\d{6})\.(day|lc1|lc5)$/i;
const PERIODS = { day: 'day', lc1: '1m', lc5: '5m' } as const;

/** `sh600000.day` → 600000.SH daily, with its units; undefined for any other name. */
export function tdxFileInfo(fileName: string): TdxFileInfo | undefined {
  const m = FILE_NAME.exec(fileName);
  if (!m) return undefined;
  const exchange = exchangeFromPrefix(m[1]!)!;
  const code = m[2]!;
  return { symbol: toSymbol(code, exchange), code, exchange, period: PERIODS[m[3]!.toLowerCase() as keyof typeof PERIODS], ...tdxUnits(code, exchange) };
}

/** How TDX stores prices and volumes of an instrument (see the table above). */
export function tdxUnits(code: string, exchange: Exchange): { priceScale: number; volumeFactor: number } {
  const { kind } = classify(code, exchange);
  if (kind === 'index') return { priceScale: 100, volumeFactor: 100 };
  if (exchange === 'SH' && code.startsWith('900')) return { priceScale: 1000, volumeFactor: 1 };
  if (kind === 'fund') return { priceScale: 1000, volumeFactor: exchange === 'SH' ? 100 : 1 };
  if (kind === 'bond') return { priceScale: 1000, volumeFactor: exchange === 'SH' ? 10 : 1 };
  return { priceScale: 100, volumeFactor: 1 };
}

export interface ParsedBars {
  bars: BarSeries;
  notes: ParseNotes;
}

function checkSize(bytes: Uint8Array): number {
  const rest = bytes.byteLength % TDX_RECORD_BYTES;
  const whole = (bytes.byteLength - rest) / TDX_RECORD_BYTES;
  if (rest !== 0) {
    throw new ImportProblem('fileTruncated', { bytes: bytes.byteLength, recordBytes: TDX_RECORD_BYTES, record: whole + 1, rest }, whole + 1);
  }
  return whole;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function checkAmount(amount: number, record: number): void {
  if (!(amount >= 0) || !Number.isFinite(amount)) throw new ImportProblem('amountInvalid', { value: String(amount) }, record);
}

/** Daily bars of a `.day` file. */
export function parseTdxDay(bytes: Uint8Array, info: Pick<TdxFileInfo, 'priceScale' | 'volumeFactor'>): ParsedBars {
  const n = checkSize(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = allocateSeries(n);
  const notes = emptyNotes();
  const scale = info.priceScale;
  const volumeFactor = info.volumeFactor;
  let previous = -Infinity;
  for (let i = 0, o = 0; i < n; i++, o += TDX_RECORD_BYTES) {
    const date = view.getUint32(o, true);
    const y = Math.floor(date / 10_000);
    const m = Math.floor(date / 100) % 100;
    const d = date % 100;
    if (!isValidDate(y, m, d)) throw new ImportProblem('recordDateInvalid', { value: date }, i + 1);
    const ts = civilTs(y, m, d);
    if (ts <= previous) throw new ImportProblem('recordDateNotAfterPrevious', { date: `${y}-${pad2(m)}-${pad2(d)}` }, i + 1);
    previous = ts;
    const open = view.getUint32(o + 4, true) / scale;
    const high = view.getUint32(o + 8, true) / scale;
    const low = view.getUint32(o + 12, true) / scale;
    const close = view.getUint32(o + 16, true) / scale;
    const amount = view.getFloat32(o + 20, true);
    checkAmount(amount, i + 1);
    noteAnomaly(notes, open, high, low, close, i + 1);
    setBar(out, i, ts, open, high, low, close, view.getUint32(o + 24, true) * volumeFactor, amount);
  }
  out.length = n;
  return { bars: sliceSeries(out, 0, n), notes };
}

/** Minute bars of an `.lc1` / `.lc5` file; `ts` is the end of each bar (09:31 for the first 1-minute bar). */
export function parseTdxMinute(bytes: Uint8Array, info: Pick<TdxFileInfo, 'priceScale' | 'volumeFactor'>): ParsedBars {
  const n = checkSize(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = allocateSeries(n);
  const notes = emptyNotes();
  const tick = info.priceScale;
  const volumeFactor = info.volumeFactor;
  const price = (o: number) => Math.round(view.getFloat32(o, true) * tick) / tick;
  let previous = -Infinity;
  for (let i = 0, o = 0; i < n; i++, o += TDX_RECORD_BYTES) {
    const packed = view.getUint16(o, true);
    const minutes = view.getUint16(o + 2, true);
    const y = (packed >> 11) + 2004;
    const m = Math.floor((packed % 2048) / 100);
    const d = (packed % 2048) % 100;
    if (!isValidDate(y, m, d)) throw new ImportProblem('packedDateInvalid', { value: packed }, i + 1);
    if (minutes === 0 || minutes > 1440) throw new ImportProblem('recordMinutesInvalid', { value: minutes }, i + 1);
    const ts = civilTs(y, m, d) + minutes * 60;
    if (ts <= previous) {
      throw new ImportProblem('recordTimeNotAfterPrevious', { time: `${y}-${pad2(m)}-${pad2(d)} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}` }, i + 1);
    }
    previous = ts;
    const open = price(o + 4);
    const high = price(o + 8);
    const low = price(o + 12);
    const close = price(o + 16);
    if (!Number.isFinite(open + high + low + close)) throw new ImportProblem('priceNotFinite', {}, i + 1);
    const amount = view.getFloat32(o + 20, true);
    checkAmount(amount, i + 1);
    noteAnomaly(notes, open, high, low, close, i + 1);
    setBar(out, i, ts, open, high, low, close, view.getUint32(o + 24, true) * volumeFactor, amount);
  }
  out.length = n;
  return { bars: sliceSeries(out, 0, n), notes };
}

export function parseTdxFile(bytes: Uint8Array, info: TdxFileInfo): ParsedBars {
  return info.period === 'day' ? parseTdxDay(bytes, info) : parseTdxMinute(bytes, info);
}
