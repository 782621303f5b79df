/**
 * The bars of an optimization, loaded once (modules/backtest/job.ts, loadBars) and shared by every
 * trial: each symbol's BarSeries columns and the benchmark's closes packed into SharedArrayBuffers,
 * so handing the dataset to a trial thread copies nothing (a SharedArrayBuffer is shared by
 * structured clone) and a thread unpacks it once per fingerprint (views, no copy). `encodeDataset`
 * makes it one Buffer for shipping elsewhere (a remote worker, once per fingerprint) and
 * `decodeDataset` reads it back. Unpacked, it is the LoadedBars a standalone backtest runs on —
 * the same numbers, hence the same document.
 */
import { formatTs, parseTimeString } from '../../engine/bars/time';
import type { BarSeries } from '../../engine/bars/series';
import type { LoadedBars } from '../backtest/job';

/** BarSeries columns in their order in a symbol's buffer. */
const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume', 'amount'] as const;

export interface Dataset {
  fingerprint: string;
  start: number;
  end: number;
  barsTotal: number;
  warnings: string[];
  /** Per symbol: `length` bars, the 7 columns one after the other as Float64. */
  symbols: { symbol: string; isSt: boolean; adjust?: string; length: number; buffer: SharedArrayBuffer }[];
  /** The benchmark's day times then closes, `length` each, Float64. */
  benchmark: { symbol: string; length: number; buffer: SharedArrayBuffer } | null;
}

function shared(values: readonly (Float64Array | number[])[], length: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(values.length * length * 8);
  values.forEach((v, k) => new Float64Array(buffer, k * length * 8, length).set(v instanceof Float64Array ? v.subarray(0, length) : v.slice(0, length)));
  return buffer;
}

export function packDataset(loaded: LoadedBars): Dataset {
  return {
    fingerprint: loaded.fingerprint,
    start: loaded.start,
    end: loaded.end,
    barsTotal: loaded.barsTotal,
    warnings: [...loaded.warnings],
    symbols: loaded.data.map((d, i) => ({ symbol: d.symbol, isSt: d.isSt ?? false, ...(loaded.adjusts ? { adjust: loaded.adjusts[i]! } : {}), length: d.bars.length, buffer: shared(COLUMNS.map((c) => d.bars[c]), d.bars.length) })),
    benchmark: loaded.benchmark
      ? {
          symbol: loaded.benchmark.symbol,
          length: loaded.benchmark.dates.length,
          buffer: shared([loaded.benchmark.dates.map((date) => parseTimeString(date)!), loaded.benchmark.close], loaded.benchmark.dates.length),
        }
      : null,
  };
}

export function unpackDataset(ds: Dataset): LoadedBars {
  return {
    fingerprint: ds.fingerprint,
    start: ds.start,
    end: ds.end,
    barsTotal: ds.barsTotal,
    warnings: [...ds.warnings],
    ...(ds.symbols.every((s) => s.adjust !== undefined) ? { adjusts: ds.symbols.map((s) => s.adjust!) } : {}),
    data: ds.symbols.map((s) => {
      const bars = { length: s.length } as BarSeries;
      COLUMNS.forEach((c, k) => (bars[c] = new Float64Array(s.buffer, k * s.length * 8, s.length)));
      return { symbol: s.symbol, bars, isSt: s.isSt };
    }),
    benchmark: ds.benchmark
      ? (() => {
          const { symbol, length, buffer } = ds.benchmark;
          const ts = new Float64Array(buffer, 0, length);
          return { symbol, dates: Array.from(ts, (t) => formatTs(t, 'day')), close: Array.from(new Float64Array(buffer, length * 8, length)) };
        })()
      : null,
  };
}

/** One Buffer: a 4-byte little-endian header length, the header JSON, then the buffers' bytes in order. */
export function encodeDataset(ds: Dataset): Buffer {
  const header = JSON.stringify({
    ...ds,
    symbols: ds.symbols.map(({ buffer: _b, ...s }) => s),
    benchmark: ds.benchmark ? { symbol: ds.benchmark.symbol, length: ds.benchmark.length } : null,
  });
  const buffers = [...ds.symbols.map((s) => s.buffer), ...(ds.benchmark ? [ds.benchmark.buffer] : [])];
  const head = Buffer.from(header, 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length, 0);
  return Buffer.concat([size, head, ...buffers.map((b) => Buffer.from(new Uint8Array(b)))]);
}

export function decodeDataset(bytes: Buffer): Dataset {
  const headLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as Omit<Dataset, 'symbols' | 'benchmark'> & {
    symbols: Omit<Dataset['symbols'][number], 'buffer'>[];
    benchmark: { symbol: string; length: number } | null;
  };
  let at = 4 + headLength;
  const take = (byteLength: number): SharedArrayBuffer => {
    const buffer = new SharedArrayBuffer(byteLength);
    new Uint8Array(buffer).set(bytes.subarray(at, at + byteLength));
    at += byteLength;
    return buffer;
  };
  return {
    ...header,
    symbols: header.symbols.map((s) => ({ ...s, buffer: take(COLUMNS.length * s.length * 8) })),
    benchmark: header.benchmark ? { ...header.benchmark, buffer: take(2 * header.benchmark.length * 8) } : null,
  };
}
