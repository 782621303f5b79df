/**
 * What the cache knows about trading days, for the live-quote clock. The trading_days table holds
 * the dates seen in daily bars: inside its range (first..last date) a date that is not in it is
 * taken as closed (an exchange holiday); outside it nothing is known and weekdays count as trading
 * days. Days found closed at run time (every polled quote still dated an earlier day well after
 * the open) are remembered until restart.
 */
import type { Db } from '../../platform/db/database';
import type { DayKnowledge } from '../../engine/market/trading-clock';

export class TradingCalendar {
  private readonly range;
  private readonly has;
  private readonly closed = new Set<string>();

  constructor(db: Db) {
    this.range = db.prepare<[], { first: string | null; last: string | null }>('SELECT min(date) AS first, max(date) AS last FROM trading_days');
    this.has = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM trading_days WHERE date = ?');
  }

  readonly known: DayKnowledge = (date) => {
    if (this.closed.has(date)) return false;
    const { first, last } = this.range.get() ?? { first: null, last: null };
    if (!first || !last || date < first || date > last) return undefined;
    return this.has.get(date) !== undefined;
  };

  markClosed(date: string): void {
    this.closed.add(date);
  }
}
