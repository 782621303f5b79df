/**
 * The reference data of ../shared/data/reference (tests only): TA-Lib 0.4 outputs and TDX-formula
 * outputs over 600000.SH daily bars. The bars are in the TA-Lib file; the TDX file has none.
 * Read on first use, so importing this module works without ../shared/data (see shared-data.ts:
 * the tests that call these are skipped then).
 */
import { readFileSync } from 'node:fs';
import { sharedDataPath } from './shared-data';

export type BarColumn = 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount';
export type ReferenceBars = Record<'date' | BarColumn, number[]>;

export interface TalibCase {
  id: string;
  fn: string;
  inputs: ('inReal' | BarColumn)[];
  optIn: Record<string, number>;
  begIndex: number;
  outputs: Record<string, (number | null)[]>;
}

export interface TdxCase {
  id: string;
  /** A Python dict literal, e.g. "{'period': 12}", or the object itself. */
  params: string | Record<string, number>;
  outputs: Record<string, (number | null)[]>;
}

const files = new Map<string, unknown>();
function read<T>(name: string): T {
  if (!files.has(name)) files.set(name, JSON.parse(readFileSync(sharedDataPath('reference', name), 'utf8')));
  return files.get(name) as T;
}

export const talibReference = () => read<{ engine: string; bars: ReferenceBars; cases: TalibCase[] }>('talib-sh600000-daily.json');
export const tdxReference = () => read<{ engine: string; cases: TdxCase[] }>('tdx-formula-sh600000-daily.json');
export const referenceBars = () => talibReference().bars;

/** A fill of the backtrader reference run (yuan; `fee` is the sum of the three components, unrounded). */
export interface BacktraderFill {
  date: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  fee: number;
}

/** backtrader 1.9.78 running dual MA 5/20 on csv/ashare-daily-qfq/600519.csv with A-share costs. */
export const backtraderReference = () =>
  read<{ config: { initial_cash: number }; fills: BacktraderFill[]; final_value: number; final_cash: number }>('backtrader-600519-dualma-5-20.json');

/** The bars as Float64Array columns (new arrays on every call). */
export function referenceColumns(): Record<BarColumn, Float64Array> {
  const b = referenceBars();
  return {
    open: Float64Array.from(b.open),
    high: Float64Array.from(b.high),
    low: Float64Array.from(b.low),
    close: Float64Array.from(b.close),
    volume: Float64Array.from(b.volume),
    amount: Float64Array.from(b.amount),
  };
}

/** A TDX case's parameters as an object. */
export function tdxParams(c: TdxCase): Record<string, number> {
  return typeof c.params === 'string' ? (JSON.parse(c.params.replace(/'/g, '"')) as Record<string, number>) : c.params;
}

/** 19991110 → '1999-11-10' */
export function isoDate(d: number): string {
  return `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6)}`;
}
