/**
 * Quotes from bars, as a replay publishes them: per symbol the day so far — the day's first open,
 * highest high, lowest low, summed volume and amount up to this bar — with this bar's close as the
 * price and the previous trading day's close as `prevClose` (the base of change and of the price
 * limits). Daily bars are each a whole day.
 */
import type { components } from '../../../../contracts/gen/api';
import type { BarSeries } from '../../engine/bars/series';
import { dayStart, formatDate, isMinutePeriod, type Period } from '../../engine/bars/time';

export type Quote = components['schemas']['Quote'];

const round2 = (x: number): number => Math.round(x * 100) / 100;
const pad = (n: number): string => String(n).padStart(2, '0');

/** A bar time as the quote's ISO time in Beijing (+08:00); daily bars at the close, 15:00. */
export function quoteTime(ts: number, period: Period): string {
  if (!isMinutePeriod(period)) return `${formatDate(ts)}T15:00:00+08:00`;
  const d = new Date(ts * 1000);
  return `${formatDate(ts)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00+08:00`;
}

/** One symbol's bars and the day it is in. */
export class QuoteTape {
  private day = NaN;
  private prevClose: number;
  private lastClose: number;
  private open = NaN;
  private high = -Infinity;
  private low = Infinity;
  private volume = 0;
  private amount = 0;

  /** `first`: the index of the first bar replayed; the bar before it (if any) gives the first prevClose. */
  constructor(
    readonly symbol: string,
    private readonly name: string,
    private readonly bars: BarSeries,
    private readonly period: Period,
    first: number,
  ) {
    this.lastClose = first > 0 ? bars.close[first - 1]! : NaN;
    this.prevClose = this.lastClose;
  }

  /** The quote after bar `i` (bars are replayed in order). */
  quote(i: number): Quote {
    const b = this.bars;
    const ts = b.ts[i]!;
    const day = dayStart(ts);
    if (day !== this.day) {
      this.day = day;
      this.prevClose = this.lastClose;
      this.open = b.open[i]!;
      this.high = -Infinity;
      this.low = Infinity;
      this.volume = 0;
      this.amount = 0;
    }
    this.high = Math.max(this.high, b.high[i]!);
    this.low = Math.min(this.low, b.low[i]!);
    this.volume += b.volume[i]!;
    this.amount += b.amount[i]!;
    const price = b.close[i]!;
    this.lastClose = price;
    // A first bar with no day before it: its own open stands in for the previous close.
    const prevClose = Number.isFinite(this.prevClose) ? this.prevClose : this.open;
    return {
      symbol: this.symbol,
      name: this.name,
      price,
      prevClose,
      open: this.open,
      high: this.high,
      low: this.low,
      volume: this.volume,
      amount: round2(this.amount),
      change: round2(price - prevClose),
      changePercent: prevClose > 0 ? round2((price / prevClose - 1) * 100) : 0,
      time: quoteTime(ts, this.period),
      source: 'replay',
      stale: false,
    };
  }
}
