/**
 * The risk metrics of a paper account's current positions (contracts/risk.yaml, getRiskMetrics):
 * the positions from the trading module (quantity, last price in fen — the cost per share before a
 * first quote), each symbol's cached daily closes through `KlineService.history` (forward-adjusted
 * when the cache can, else as stored), aligned on the union of their dates (the last `days`), the
 * index's closes on the same dates, and `computeRisk` (engine/risk, docs/RISK.md). A replay
 * account's dates end at its replay clock (no look-ahead). Industries come
 * from the cache's instruments, filled by the providers on demand (market/profile-filler.ts): a
 * position whose industry is not known yet is "unknown" in this report and known in a later one
 * once the provider has answered; offline it stays unknown.
 */
import type { components } from '../../../../contracts/gen/api';
import { formatDate } from '../../engine/bars/time';
import { toFen } from '../../engine/market/money';
import { computeRisk, type RiskInput, type RiskReport } from '../../engine/risk';
import { AppError } from '../../platform/errors';
import type { KlineService } from '../market/kline-service';
import type { ProfileFiller } from '../market/profile-filler';
import type { TradingService } from '../trading/service';

export type RiskMetrics = components['schemas']['RiskMetrics'];

export const DEFAULT_INDEX = '000001.SH';
export const DEFAULT_DAYS = 250;

interface Closes {
  byDate: Map<string, number>;
  adjusted: boolean;
}

export interface MetricsInput {
  input: RiskInput;
  index: string | null;
  adjust: 'qfq' | 'none';
}

export class RiskMetricsService {
  constructor(private readonly deps: { trading: TradingService; klines: KlineService; profiles?: ProfileFiller }) {}

  /** A symbol's cached daily closes by date; empty when nothing is cached. */
  private closes(symbol: string): Closes {
    const byDate = new Map<string, number>();
    try {
      const h = this.deps.klines.history({ symbol, period: 'day', adjust: 'qfq' });
      const { ts, close } = h.bars;
      for (let i = 0; i < h.bars.length; i++) byDate.set(formatDate(ts[i]!), close[i]!);
      return { byDate, adjusted: h.adjust === 'qfq' };
    } catch (err) {
      if (err instanceof AppError && (err.errorName === 'KLINE_DATA_NOT_FOUND' || err.errorName === 'SYMBOL_NOT_FOUND')) return { byDate, adjusted: false };
      throw err;
    }
  }

  /** The engine's input for the account now: ACCOUNT_NOT_FOUND (field `field`) when there is none. */
  input(accountId: number, options: { index?: string; days?: number } = {}, field = 'querystring.account'): MetricsInput {
    let positions;
    let asOf: string | undefined;
    try {
      const book = this.deps.trading.book(accountId);
      positions = book.positions();
      // A replay account lives at its replay clock: history after it is its future, not its risk.
      const account = book.account();
      if (account.mode === 'replay' && account.clock) asOf = account.clock.slice(0, 10);
    } catch (err) {
      if (err instanceof AppError && err.errorName === 'ACCOUNT_NOT_FOUND') throw new AppError('ACCOUNT_NOT_FOUND', [{ field, message: `no paper account ${accountId}` }]);
      throw err;
    }
    const days = options.days ?? DEFAULT_DAYS;
    const series = positions.map((p) => this.closes(p.symbol));
    const all = new Set<string>();
    for (const s of series) for (const d of s.byDate.keys()) all.add(d);
    const dates = [...all]
      .filter((d) => asOf === undefined || d <= asOf)
      .sort()
      .slice(-days);
    const indexSymbol = options.index ?? DEFAULT_INDEX;
    const index = this.closes(indexSymbol);
    const aligned = (c: Closes) => dates.map((d) => c.byDate.get(d) ?? null);
    const industries = this.deps.profiles?.industries(positions.map((p) => p.symbol));
    const input: RiskInput = {
      dates,
      positions: positions.map((p, i) => {
        const costFen = toFen(p.costBasis);
        const lastPrice = p.lastPrice !== undefined && p.lastPrice > 0 ? toFen(p.lastPrice) : Math.max(1, Math.round(costFen / p.quantity));
        const industry = industries?.get(p.symbol);
        return { symbol: p.symbol, quantity: p.quantity, lastPrice, closes: aligned(series[i]!), ...(industry ? { industry } : {}) };
      }),
      index: index.byDate.size > 0 ? aligned(index) : null,
    };
    const adjust = series.every((s) => s.adjusted || s.byDate.size === 0) ? 'qfq' : 'none';
    return { input, index: index.byDate.size > 0 ? indexSymbol : null, adjust };
  }

  /** The engine's report for the account now. */
  report(accountId: number, options: { index?: string; days?: number } = {}): { report: RiskReport; meta: MetricsInput } {
    const meta = this.input(accountId, options);
    return { report: computeRisk(meta.input), meta };
  }

  /** The API's answer: the report with plain arrays and the request's account, index and days. */
  metrics(accountId: number, options: { index?: string; days?: number } = {}): RiskMetrics {
    const { report, meta } = this.report(accountId, options);
    return {
      accountId,
      index: meta.index,
      days: meta.input.dates.length,
      adjust: meta.adjust,
      ...report,
      series: { dates: [...report.series.dates], returns: Array.from(report.series.returns), valueIndex: Array.from(report.series.valueIndex) },
    };
  }
}
