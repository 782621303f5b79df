/**
 * What the cache knows about trading days: the one source of `DayKnowledge` for the calendar
 * (engine/market/calendar.ts) on the server — K-line staleness and final bars, live quotes, and
 * what comes next. The trading_days table holds the dates seen in daily bars: inside its range
 * (first..last date) a date that is not in it is taken as closed (an exchange holiday); outside it
 * nothing is known and weekdays count as trading days. Days found closed at run time (every polled
 * quote still dated an earlier day well after the open) are remembered until restart. There is
 * one calendar per cache: `MarketRepository.calendar`.
 *
 * Answers are remembered until the database changes (DataVersion), so a K-line request costs one
 * version check, not a query per date.
 */
import type { Db } from '../../platform/db/database';
import { DataVersion } from '../../platform/db/data-version';
import type { DayKnowledge } from '../../engine/market/calendar';

export class TradingCalendar {
  private readonly stmt;
  private readonly version: DataVersion;
  /** Days found closed at run time. */
  private readonly closed = new Set<string>();
  private seenVersion = -1;
  private first: string | null = null;
  private last: string | null = null;
  private readonly answers = new Map<string, boolean>();

  constructor(db: Db) {
    this.stmt = {
      range: db.prepare<[], { first: string | null; last: string | null }>('SELECT min(date) AS first, max(date) AS last FROM trading_days'),
      has: db.prepare<[string], number>('SELECT 1 FROM trading_days WHERE date = ?').pluck(),
    };
    this.version = DataVersion.of(db);
  }

  /** The knowledge as of now, for one computation (checks once whether the table changed). */
  knowledge(): DayKnowledge {
    const v = this.version.current();
    if (v !== this.seenVersion) {
      this.seenVersion = v;
      ({ first: this.first, last: this.last } = this.stmt.range.get() ?? { first: null, last: null });
      this.answers.clear();
    }
    return this.lookup;
  }

  /** One date's knowledge (a fresh check each call; for many dates take `knowledge()` once). */
  readonly known: DayKnowledge = (date) => this.knowledge()(date);

  markClosed(date: string): void {
    this.closed.add(date);
  }

  private readonly lookup: DayKnowledge = (date) => {
    if (this.closed.has(date)) return false;
    if (this.first === null || this.last === null || date < this.first || date > this.last) return undefined;
    let answer = this.answers.get(date);
    if (answer === undefined) {
      // Bounded by the dates asked about: a few per request, the range of a backtest at most.
      answer = this.stmt.has.get(date) !== undefined;
      this.answers.set(date, answer);
    }
    return answer;
  };
}
