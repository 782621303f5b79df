/**
 * Whether a new quote says something the previous one did not: the stream publishes changes only.
 * The quote time alone does not count (providers restamp unchanged snapshots), nor do source and
 * staleness flags.
 */
export interface QuoteValues {
  name: string;
  price: number;
  prevClose: number;
  open?: number;
  high?: number;
  low?: number;
  volume?: number;
  amount?: number;
}

const FIELDS = ['price', 'prevClose', 'open', 'high', 'low', 'volume', 'amount', 'name'] as const;

export function quoteChanged(previous: QuoteValues | undefined, next: QuoteValues): boolean {
  if (!previous) return true;
  return FIELDS.some((f) => previous[f] !== next[f]);
}

/** Rounds away float noise from differences of prices (3 decimals covers fund prices). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** change and change % from a price and the previous close (0 when the previous close is unknown). */
export function changeOf(price: number, prevClose: number): { change: number; changePercent: number } {
  if (!(prevClose > 0)) return { change: 0, changePercent: 0 };
  const change = roundTo(price - prevClose, 3);
  return { change, changePercent: roundTo(((price - prevClose) / prevClose) * 100, 2) };
}
