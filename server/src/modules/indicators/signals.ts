/**
 * Technical signals of a symbol for the API: the engine's default rule set (engine/signals) over
 * the cached bars, warmed up on the history before the range. The price-limit rule needs daily,
 * unadjusted bars and the instrument's board, ST status and listing date; the cache knows the
 * current ST status only (from the name), so it is applied to the whole series.
 */
import type { components } from '../../../../contracts/gen/api';
import { parseTimeString } from '../../engine/bars/time';
import { IndicatorProblem } from '../../engine/indicators/problem';
import { detectSignals, SIGNAL_RULES, type SignalRule } from '../../engine/signals';
import { AppError } from '../../platform/errors';
import type { KlineQuery, KlineService } from '../market/kline-service';
import type { MarketRepository } from '../market/repository';
import { indicatorError } from './service';

export type SignalList = components['schemas']['SignalList'];

export interface SignalQuery extends KlineQuery {
  rules?: string;
}

export class SignalService {
  constructor(
    private readonly klines: KlineService,
    private readonly repo: MarketRepository,
  ) {}

  signals(query: SignalQuery): SignalList {
    const h = this.klines.history(query);
    const limitApplies = h.period === 'day' && h.adjust === 'none';
    const asked = query.rules?.split(',') as SignalRule[] | undefined;
    if (asked?.includes('limit') && !limitApplies) {
      throw new AppError('VALUE_INVALID', [{ field: 'querystring.rules', message: 'the limit rule needs daily, unadjusted bars' }]);
    }
    const rules = asked ?? SIGNAL_RULES.filter((r) => r !== 'limit' || limitApplies);
    const instrument = this.repo.getInstrument(h.symbol)!;
    const listDate = instrument.listDate ? parseTimeString(instrument.listDate) : undefined;
    let events;
    try {
      events = detectSignals(h.bars, {
        rules,
        from: h.first,
        ...(rules.includes('limit') ? { limit: { instrument: { board: instrument.board, st: instrument.isSt, ...(listDate === undefined ? {} : { listDate }) } } } : {}),
      });
    } catch (err) {
      throw err instanceof IndicatorProblem ? indicatorError(err, 'querystring') : err;
    }
    return {
      symbol: h.symbol,
      period: h.period,
      count: h.bars.length - h.first,
      signals: events.map((e) => ({
        time: h.time[e.index - h.first]!,
        rule: e.rule,
        kind: e.kind,
        direction: e.direction,
        close: h.bars.close[e.index]!,
        values: { ...e.values },
      })),
    };
  }
}
