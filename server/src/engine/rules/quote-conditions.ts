/**
 * The conditions evaluated on a quote (docs/RULES.md, "Rule types"): position loss, price crossing
 * a level, price change over N minutes, volume surge and a limit-up/limit-down touch. Prices are
 * compared in whole fen, as the exchange quotes them, so 10.00 is at a level of 10 however either
 * float was produced. Each answers a Hit only when the condition holds (allocation only then).
 */
import { dayStart } from '../bars/time';
import { dailyLimitsFen } from '../market/limit-guard';
import type { LimitFen } from '../market/price-limits';
import { classify, isSpecialTreatment, parseSymbol, type Board } from '../market/symbols';
import type { CompiledRule } from './compile';
import type { PriceRing } from './price-ring';
import { elapsedSessionSeconds, SESSION_SECONDS } from './session';
import type { Direction, HeldPosition, QuoteTick, ReferenceData, ValueUnit } from './types';

export interface Hit {
  value: number;
  threshold: number;
  unit: ValueUnit;
}

/** What the book remembers of a watched symbol between its quotes. */
export interface SymbolMarket {
  readonly symbol: string;
  /** From the code (or ReferenceData.board); decides the price limit. */
  board: Board;
  /** The previous quote's price in fen; NaN before the first quote. */
  prevPriceFen: number;
  /** Recent points, kept only while a price-change rule watches the symbol. */
  ring: PriceRing | null;
  /** The limit prices cached for (day, previous close, ST): one table lookup per day, not per quote. */
  limitDay: number;
  limitPrevFen: number;
  limitSt: boolean;
  limits: LimitFen | undefined;
}

export function newSymbolMarket(symbol: string, reference: ReferenceData): SymbolMarket {
  const parsed = parseSymbol(symbol);
  const board = reference.board?.(symbol) ?? (parsed ? classify(parsed.code, parsed.exchange).board : 'other');
  return { symbol, board, prevPriceFen: NaN, ring: null, limitDay: NaN, limitPrevFen: NaN, limitSt: false, limits: undefined };
}

/** What a quote rule is evaluated against. */
export interface QuoteInput {
  tick: QuoteTick;
  priceFen: number;
  market: SymbolMarket;
  /** The account's held positions by symbol (position loss). */
  holdings: ReadonlyMap<string, HeldPosition>;
  reference: ReferenceData;
}

export function evaluateQuoteRule(rule: CompiledRule, input: QuoteInput): Hit | null {
  const c = rule.def.condition;
  switch (c.kind) {
    case 'position-loss':
      return positionLoss(c.thresholdPercent, input.priceFen, input.holdings.get(input.tick.symbol));
    case 'price-cross':
      return priceCross(rule.levelFen, c.direction, input.market.prevPriceFen, input.priceFen);
    case 'price-change':
      return priceChange(rule.windowMs, c.thresholdPercent, c.direction, input);
    case 'volume-surge':
      return volumeSurge(c.days, c.multiple, c.minElapsedMinutes ?? DEFAULT_MIN_ELAPSED_MINUTES, input);
    case 'limit-touch':
      return limitTouch(c.side, input);
    default:
      return null;
  }
}

/** Loss % = (average cost − price) / average cost × 100, for a held long position. */
export function positionLoss(thresholdPercent: number, priceFen: number, holding: HeldPosition | undefined): Hit | null {
  if (!holding || !(holding.quantity > 0) || !(holding.avgCostFen > 0)) return null;
  const loss = ((holding.avgCostFen - priceFen) / holding.avgCostFen) * 100;
  return loss >= thresholdPercent ? { value: loss, threshold: thresholdPercent, unit: 'percent' } : null;
}

/**
 * A crossing: the previous price strictly on one side of the level and this one on the other side
 * or at it — reaching the level counts, sitting on it does not (a price that arrives at the level
 * fires on arrival; moving on from there fires nothing more). No previous price: no crossing.
 */
export function crossesLevel(levelFen: number, direction: Direction, prevFen: number, priceFen: number): boolean {
  const up = prevFen < levelFen && priceFen >= levelFen;
  const down = prevFen > levelFen && priceFen <= levelFen;
  return direction === 'up' ? up : direction === 'down' ? down : up || down;
}

export function priceCross(levelFen: number, direction: Direction, prevFen: number, priceFen: number): Hit | null {
  return crossesLevel(levelFen, direction, prevFen, priceFen) ? { value: priceFen / 100, threshold: levelFen / 100, unit: 'price' } : null;
}

/**
 * Change % over N minutes = (price − p₀) / p₀ × 100, p₀ the price in effect N minutes before the
 * quote's time (the latest point at or before it, this trading day). No such point yet: nothing.
 * The threshold is a magnitude; a fall is compared as change ≤ −threshold.
 */
function priceChange(windowMs: number, thresholdPercent: number, direction: Direction, input: QuoteInput): Hit | null {
  const ring = input.market.ring;
  if (!ring) return null;
  const base = ring.priceAt(input.tick.timeMs - windowMs);
  if (!(base > 0)) return null;
  const change = ((input.priceFen - base) / base) * 100;
  if (change >= thresholdPercent && direction !== 'down') return { value: change, threshold: thresholdPercent, unit: 'percent' };
  if (change <= -thresholdPercent && direction !== 'up') return { value: change, threshold: -thresholdPercent, unit: 'percent' };
  return null;
}

/** Ratios in the first minutes mean little (the opening auction's volume over a sliver of the day). */
export const DEFAULT_MIN_ELAPSED_MINUTES = 5;

/**
 * Volume surge: ratio = day volume so far / (N-day average daily volume × elapsed session
 * fraction) — today's pace against an average day's. Fires at ratio ≥ multiple once at least
 * `minElapsedMinutes` of continuous trading have passed; no average or no volume: nothing.
 */
function volumeSurge(days: number, multiple: number, minElapsedMinutes: number, input: QuoteInput): Hit | null {
  const volume = input.tick.volume;
  if (volume === undefined || !(volume >= 0)) return null;
  const average = input.reference.averageVolume?.(input.tick.symbol, days);
  if (average === undefined || !(average > 0)) return null;
  const elapsed = elapsedSessionSeconds(input.tick.timeMs);
  if (elapsed <= 0 || elapsed < minElapsedMinutes * 60) return null;
  const ratio = volume / ((average * elapsed) / SESSION_SECONDS);
  return ratio >= multiple ? { value: ratio, threshold: multiple, unit: 'ratio' } : null;
}

/**
 * A touch: the price exactly at the day's limit-up (or limit-down) price in fen, the limits from
 * the quote's previous close (the exchange's reference price) and the dated table of engine/market
 * for the symbol's board, ST status (from the quote's name) and the quote's day. No limit known
 * (indices, funds, bonds, the IPO window, no previous close): nothing.
 */
function limitTouch(side: Direction, input: QuoteInput): Hit | null {
  const limits = limitsFor(input);
  if (!limits) return null;
  if (input.priceFen === limits.up && side !== 'down') return { value: input.priceFen / 100, threshold: limits.up / 100, unit: 'price' };
  if (input.priceFen === limits.down && side !== 'up') return { value: input.priceFen / 100, threshold: limits.down / 100, unit: 'price' };
  return null;
}

const BEIJING_OFFSET_SECONDS = 8 * 3600;

function limitsFor({ tick, market, reference }: QuoteInput): LimitFen | undefined {
  const day = dayStart(Math.floor(tick.timeMs / 1000) + BEIJING_OFFSET_SECONDS);
  const prevFen = Math.round(tick.prevClose * 100);
  const st = tick.name !== undefined && isSpecialTreatment(tick.name);
  if (day !== market.limitDay || prevFen !== market.limitPrevFen || st !== market.limitSt) {
    market.limitDay = day;
    market.limitPrevFen = prevFen;
    market.limitSt = st;
    market.limits = prevFen > 0 ? dailyLimitsFen(market.board, st, day, tick.prevClose, reference.listing?.(tick.symbol, day)) : undefined;
  }
  return market.limits;
}
