/**
 * A walk-forward's stored windows and in-sample trials (migration 15: `walkforward_windows`,
 * `walkforward_trials`). The main thread writes (the kind's `apply`, walk-forward-apply.ts); the
 * coordinator reads what an earlier attempt stored through its own connection (`storedWalkForward`).
 * The answer of GET /api/optimize/{id} (`walkForwardResult`) stitches the windows' OOS equity here.
 */
import type { components } from '../../../../contracts/gen/api';
import { compareTrials } from '../../engine/optimize/objective';
import { efficiency, overallEfficiency, stitchEquity } from '../../engine/optimize/walk-forward';
import type { Db } from '../../platform/db/database';
import type { OptimizationConfig } from './config';
import type { TrialResult } from './trial';

export type WalkForwardResult = components['schemas']['WalkForwardResult'];
export type WalkForwardWindowResult = components['schemas']['WalkForwardWindowResult'];
export type WalkForwardWinner = components['schemas']['WalkForwardWinner'];
export type WalkForwardOutOfSample = components['schemas']['WalkForwardOutOfSample'];

/** A window as planned: dates of its in-sample and out-of-sample days. */
export interface PlannedWindow {
  index: number;
  inSample: { start: string; end: string; days: number };
  outOfSample: { start: string; end: string; days: number };
}

/** What a resumed walk-forward needs of a stored in-sample trial. */
export interface StoredWindowTrial {
  index: number;
  params: Record<string, number>;
  objective: number | null;
  eligible: boolean;
  annualReturn: number | null;
}

export interface OosSeries {
  dates: string[];
  equity: number[];
  benchmark: number[] | null;
}

interface WindowRow {
  window_index: number;
  is_start: string;
  is_end: string;
  is_days: number;
  oos_start: string;
  oos_end: string;
  oos_days: number;
  winner: string | null;
  oos: string | null;
  series: string | null;
}

/** The coordinator's reads: per window, the stored in-sample trials and whether its OOS run is stored. */
export function storedWalkForward(db: Db, id: string): { done: Set<number>; trials: (window: number) => IterableIterator<StoredWindowTrial> } {
  const done = new Set(db.prepare<[string], { w: number }>('SELECT window_index AS w FROM walkforward_windows WHERE optimization_id = ? AND oos IS NOT NULL').all(id).map((r) => r.w));
  const stmt = db.prepare<[string, number], { trial_index: number; params: string; objective: number | null; eligible: number; annual_return: number | null }>(
    'SELECT trial_index, params, objective, eligible, annual_return FROM walkforward_trials WHERE optimization_id = ? AND window_index = ? ORDER BY trial_index',
  );
  function* trials(window: number): IterableIterator<StoredWindowTrial> {
    for (const r of stmt.iterate(id, window)) yield { index: r.trial_index, params: JSON.parse(r.params) as Record<string, number>, objective: r.objective, eligible: r.eligible === 1, annualReturn: r.annual_return };
  }
  return { done, trials };
}

/** The winner as stored and answered, from the best in-sample trial. */
export function winnerOf(t: StoredWindowTrial): WalkForwardWinner {
  return { index: t.index, params: t.params, objective: t.objective, eligible: t.eligible, annualReturn: t.annualReturn };
}

/** The best of a window's in-sample trials so far (the leaderboard order: compareTrials). */
export function better(a: StoredWindowTrial | undefined, b: StoredWindowTrial): StoredWindowTrial {
  return !a || compareTrials(b, a) < 0 ? b : a;
}

export class WalkForwardRepository {
  constructor(private readonly db: Db) {}

  /** The windows of an attempt; `reset` (other bars or engine) forgets what was stored. Existing windows keep their results. */
  plan(id: string, windows: PlannedWindow[], reset: boolean): void {
    this.db
      .transaction(() => {
        if (reset) {
          this.db.prepare('DELETE FROM walkforward_windows WHERE optimization_id = ?').run(id);
          this.db.prepare('DELETE FROM walkforward_trials WHERE optimization_id = ?').run(id);
        }
        const insert = this.db.prepare(
          `INSERT OR IGNORE INTO walkforward_windows (optimization_id, window_index, is_start, is_end, is_days, oos_start, oos_end, oos_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const w of windows) insert.run(id, w.index, w.inSample.start, w.inSample.end, w.inSample.days, w.outOfSample.start, w.outOfSample.end, w.outOfSample.days);
      })
      .immediate();
  }

  /** Stores a batch of a window's in-sample trials (one transaction). */
  insertTrials(id: string, window: number, trials: TrialResult[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO walkforward_trials (optimization_id, window_index, trial_index, params, objective, eligible, annual_return, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const t of trials) insert.run(id, window, t.index, JSON.stringify(t.params), t.objective, t.eligible ? 1 : 0, t.headline.annualReturn, t.digest);
    })();
  }

  setWindow(id: string, window: number, winner: WalkForwardWinner, oos: TrialResult): void {
    const h = oos.headline;
    const result: WalkForwardOutOfSample = { totalReturn: h.totalReturn, annualReturn: h.annualReturn, sharpe: h.sharpe, maxDrawdown: h.maxDrawdown, tradeCount: h.tradeCount, digest: oos.digest };
    this.db
      .prepare('UPDATE walkforward_windows SET winner = ?, oos = ?, series = ? WHERE optimization_id = ? AND window_index = ?')
      .run(JSON.stringify(winner), JSON.stringify(result), JSON.stringify(oos.series ?? null), id, window);
  }

  /** Windows planned, windows done, in-sample trials stored. */
  counts(id: string): { windows: number; windowsDone: number; trials: number } {
    const w = this.db.prepare<[string], { n: number; done: number | null }>('SELECT count(*) AS n, sum(oos IS NOT NULL) AS done FROM walkforward_windows WHERE optimization_id = ?').get(id)!;
    const t = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM walkforward_trials WHERE optimization_id = ?').get(id)!;
    return { windows: w.n, windowsDone: w.done ?? 0, trials: t.n };
  }

  /**
   * The walk-forward as GET answers it: every window (a window not yet run has a null winner and
   * result), the OOS equity of the windows done stitched in window order from the initial capital,
   * and the efficiencies (engine/optimize/walk-forward.ts). Reads one window's series at a time.
   */
  result(id: string, config: OptimizationConfig): WalkForwardResult | null {
    const wf = config.walkForward;
    if (!wf) return null;
    const trialCounts = new Map(
      this.db.prepare<[string], { w: number; n: number }>('SELECT window_index AS w, count(*) AS n FROM walkforward_trials WHERE optimization_id = ? GROUP BY 1').all(id).map((r) => [r.w, r.n]),
    );
    const rows = this.db.prepare<[string], WindowRow>('SELECT * FROM walkforward_windows WHERE optimization_id = ? ORDER BY window_index').all(id);
    const dates: string[] = [];
    const equities: number[][] = [];
    const benchmarks: number[][] = [];
    let withBenchmark = true;
    const isReturns: (number | null)[] = [];
    const windows: WalkForwardWindowResult[] = rows.map((r) => {
      const winner = r.winner ? (JSON.parse(r.winner) as WalkForwardWinner) : null;
      const oos = r.oos ? (JSON.parse(r.oos) as WalkForwardOutOfSample) : null;
      if (oos && r.series) {
        const s = JSON.parse(r.series) as OosSeries;
        dates.push(...s.dates);
        equities.push(s.equity);
        if (s.benchmark) benchmarks.push(s.benchmark);
        else withBenchmark = false;
        isReturns.push(winner?.annualReturn ?? null);
      }
      return {
        index: r.window_index,
        inSample: { start: r.is_start, end: r.is_end, days: r.is_days },
        outOfSample: { start: r.oos_start, end: r.oos_end, days: r.oos_days },
        inSampleTrials: trialCounts.get(r.window_index) ?? 0,
        winner,
        outOfSampleResult: oos,
        wfe: efficiency(oos?.annualReturn ?? null, winner?.annualReturn ?? null),
      };
    });
    const values = stitchEquity(equities, config.initialCash);
    const benchmark = withBenchmark && benchmarks.length === equities.length && equities.length > 0 ? stitchEquity(benchmarks, config.initialCash) : null;
    const overall = overallEfficiency(values, isReturns);
    return {
      mode: wf.mode,
      inSampleDays: wf.inSampleDays,
      outOfSampleDays: wf.outOfSampleDays,
      windowsTotal: rows.length,
      windows,
      equity: { dates, values, benchmark },
      ...overall,
    };
  }
}
