/**
 * One backtest, start to end, as the worker runs it (workers/backtest-worker.ts): load the bars
 * from the cache (K-line service: the stored adjustment or factors applied, with all the history
 * before the range for indicator warm-up), fingerprint them, run the engine with progress, compute
 * the metrics and build the result document (document.ts). Reads only; the main thread stores the
 * result. Messages go to the `backtest` kind's `apply` (kind.ts).
 */
import { createHash } from 'node:crypto';
import type { components } from '../../../../contracts/gen/api';
import { runBacktest, type BacktestRun, type BacktestSymbolData } from '../../engine/backtest/engine';
import { findStrategy } from '../../engine/backtest/strategies';
import { barsUpTo, type BarSeries } from '../../engine/bars/series';
import { formatTs, parseTimeString, type Period } from '../../engine/bars/time';
import { AppError } from '../../platform/errors';
import type { CancelSignal } from '../../platform/tasks/worker';
import type { KlineService } from '../market/kline-service';
import type { MarketRepository } from '../market/repository';
import type { BacktestConfig } from './config';
import { buildDocument, type BacktestDocument, type BenchmarkSeries } from './document';

/** What the worker posts; `apply` in kind.ts moves the task with it. */
export type BacktestMessage =
  | { type: 'phase'; phase: 'loading' | 'running' | 'metrics' | 'saving'; barsTotal?: number; warnings?: string[] }
  | { type: 'progress'; fraction: number; currentDate: string; barsProcessed: number; equityFen: number; etaSeconds: number }
  | { type: 'result'; config: BacktestConfig; document: string; headline: BacktestHeadlineInput };

/** What the stored row keeps apart from the document (the history list reads only these). */
export type BacktestHeadlineInput = components['schemas']['BacktestHeadline'] & { fingerprint: string; engineVersion: string };

/** Progress messages per run at most (the service publishes at most 10 a second anyway). */
const PROGRESS_MESSAGES = 200;

/** A config's bars as loadBars answers them: what a run needs besides the config. */
export interface LoadedBars {
  data: BacktestSymbolData[];
  start: number;
  end: number;
  barsTotal: number;
  benchmark: BenchmarkSeries | null;
  warnings: string[];
  fingerprint: string;
  /** The adjustment each symbol's bars carry (as `data`; the fingerprint hashes it). */
  adjusts?: string[];
}

function hashSeries(hash: ReturnType<typeof createHash>, bars: BarSeries): void {
  for (const column of [bars.ts, bars.open, bars.high, bars.low, bars.close, bars.volume]) {
    const used = column.subarray(0, bars.length);
    hash.update(new Uint8Array(used.buffer, used.byteOffset, used.byteLength));
  }
}

/**
 * The SHA-256 fingerprint of a run's bars: each symbol's (with its history) and the benchmark's
 * closes in the range. loadBars answers it; a walk-forward window's bars (a prefix of the loaded
 * bars, modules/optimize/window.ts) are fingerprinted the same way, as loadBars would for that range.
 */
export function fingerprintOf(period: string, symbols: readonly { symbol: string; adjust: string; bars: BarSeries }[], benchmark: BenchmarkSeries | null): string {
  const hash = createHash('sha256');
  for (const { symbol, adjust, bars } of symbols) {
    hash.update(`${symbol}|${period}|${adjust}|${bars.length}|`);
    hashSeries(hash, bars);
  }
  if (benchmark) {
    hash.update(`benchmark|${benchmark.symbol}|${benchmark.dates.length}|`);
    hash.update(new Uint8Array(Float64Array.from(benchmark.close).buffer));
  }
  return hash.digest('hex');
}

/** The symbols' bars (with history) and the benchmark's daily closes; throws AppError when a symbol has no bars in the range. */
export function loadBars(config: BacktestConfig, klines: KlineService, market: MarketRepository): LoadedBars {
  const period = config.period as Period;
  const start = parseTimeString(config.start)!;
  const end = parseTimeString(config.end)! + 86_399;
  const data: BacktestSymbolData[] = [];
  const adjusts: string[] = [];
  const warnings: string[] = [];
  let barsTotal = 0;
  for (const symbol of config.symbols) {
    const h = klines.history({ symbol, period, adjust: config.adjust, start: config.start, end: config.end });
    if (h.adjust !== config.adjust) warnings.push(`${symbol}: no ${config.adjust} bars cached; ${h.adjust} bars used`);
    data.push({ symbol, bars: h.bars, isSt: market.getInstrument(symbol)?.isSt ?? false });
    adjusts.push(h.adjust);
    barsTotal += h.bars.length - h.first;
  }
  let benchmark: BenchmarkSeries | null = null;
  if (config.benchmark) {
    try {
      const b = klines.history({ symbol: config.benchmark, period: 'day', adjust: 'none', start: config.start, end: config.end });
      const dates: string[] = [];
      const close: number[] = [];
      for (let i = b.first; i < b.bars.length; i++) {
        dates.push(formatTs(b.bars.ts[i]!, 'day'));
        close.push(b.bars.close[i]!);
      }
      benchmark = { symbol: config.benchmark, dates, close };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      warnings.push(`benchmark ${config.benchmark}: ${err.details?.[0]?.message ?? err.message}; left out`);
    }
  }
  const fingerprint = fingerprintOf(period, data.map((d, i) => ({ symbol: d.symbol, adjust: adjusts[i]!, bars: d.bars })), benchmark);
  return { data, start, end, barsTotal, benchmark, warnings, fingerprint, adjusts };
}

/** What runLoaded needs besides the bars: the cancel check and, optionally, progress. */
export interface RunOptions {
  signal: CancelSignal;
  /** Called about PROGRESS_MESSAGES times with the fraction done, the bar time reached, bars processed and equity. */
  onProgress?: (p: { fraction: number; time: number; barsProcessed: number; equityFen: number }) => void;
}

/** The engine's costs of a config (fen and the engine's slippage shape). */
function engineCosts(config: BacktestConfig) {
  const { slippage } = config.costs;
  return {
    commissionRate: config.costs.commissionRate,
    minCommissionFen: Math.round(config.costs.minCommission * 100),
    slippage: slippage.kind === 'none' ? ({ kind: 'none' } as const) : slippage.kind === 'bps' ? ({ kind: 'bps', bps: slippage.value! } as const) : ({ kind: 'ticks', ticks: slippage.value! } as const),
  };
}

/**
 * The run of `config` on bars already loaded (loadBars) and its result document: the one code
 * path of a standalone backtest (runBacktestJob) and of an optimization's trials
 * (modules/optimize/trial.ts), so a trial's document is byte for byte the backtest's. Throws
 * AppError 2003 when the range has no bars, TaskCancelled when cancelled.
 */
export function runLoaded(config: BacktestConfig, loaded: LoadedBars, options: RunOptions): { run: BacktestRun; document: BacktestDocument } {
  const def = findStrategy(config.strategy);
  if (!def) throw new AppError('STRATEGY_NOT_FOUND', [{ field: 'params.strategy', message: `no strategy ${config.strategy}` }]);
  const strategy = def.create(config.params);
  const firstIndex = loaded.data.map((d) => barsUpTo(d.bars, loaded.start - 1));
  const { onProgress } = options;
  const run = runBacktest(
    {
      data: loaded.data,
      initialCashFen: Math.round(config.initialCash * 100),
      costs: engineCosts(config),
      fillModel: config.fillModel,
      ...(config.volumeCap !== undefined ? { volumeCap: config.volumeCap } : {}),
      start: loaded.start,
      end: loaded.end,
    },
    strategy,
    {
      signal: options.signal,
      ...(onProgress
        ? {
            // Steps are at least the longest symbol's bars in the range: about PROGRESS_MESSAGES calls.
            progressEvery: Math.max(1, Math.floor(Math.max(...loaded.data.map((d, i) => d.bars.length - firstIndex[i]!)) / PROGRESS_MESSAGES)),
            onProgress: (p) => {
              let barsProcessed = 0;
              loaded.data.forEach((d, i) => (barsProcessed += barsUpTo(d.bars, p.time) - firstIndex[i]!));
              onProgress({ fraction: p.steps === 0 ? 1 : p.stepsDone / p.steps, time: p.time, barsProcessed, equityFen: p.equityFen });
            },
          }
        : {}),
    },
  );
  if (run.steps === 0) throw new AppError('KLINE_DATA_NOT_FOUND', [{ message: `no bars in ${config.start} – ${config.end}` }]);
  const document = buildDocument(config, run, { fingerprint: loaded.fingerprint, benchmark: loaded.benchmark, warnings: loaded.warnings, bars: loaded.data });
  return { run, document };
}

/** The headline the history list keeps of a document. */
export function headlineOf(document: BacktestDocument): BacktestHeadlineInput {
  const m = document.metrics;
  return {
    fingerprint: document.fingerprint,
    engineVersion: document.engineVersion,
    totalReturn: m.totalReturn,
    annualReturn: m.annualReturn,
    excessReturn: m.excessReturn,
    sharpe: m.sharpe,
    maxDrawdown: m.maxDrawdown?.value ?? null,
    winRate: m.winRate,
    tradeCount: m.tradeCount,
    finalEquity: document.finalEquityFen / 100,
  };
}

/**
 * Runs the backtest of `config`; posts phase/progress messages and finally the result. `now`
 * (ms, monotonic) only estimates the remaining time; nothing in the result depends on it.
 */
export function runBacktestJob(config: BacktestConfig, deps: { klines: KlineService; market: MarketRepository; signal: CancelSignal; post(message: BacktestMessage): void; now?: () => number }): void {
  const { signal, post } = deps;
  const now = deps.now ?? (() => performance.now());
  if (!findStrategy(config.strategy)) throw new AppError('STRATEGY_NOT_FOUND', [{ field: 'params.strategy', message: `no strategy ${config.strategy}` }]);

  post({ type: 'phase', phase: 'loading' });
  const loaded = loadBars(config, deps.klines, deps.market);
  signal.throwIfAborted();
  post({ type: 'phase', phase: 'running', barsTotal: loaded.barsTotal, warnings: loaded.warnings });

  const started = now();
  const { document } = runLoaded(config, loaded, {
    signal,
    onProgress: (p) => {
      const elapsed = (now() - started) / 1000;
      post({
        type: 'progress',
        fraction: p.fraction,
        currentDate: formatTs(p.time, config.period as Period),
        barsProcessed: p.barsProcessed,
        equityFen: p.equityFen,
        etaSeconds: p.fraction > 0 ? (elapsed / p.fraction) * (1 - p.fraction) : 0,
      });
    },
  });
  // The metrics are computed with the document (buildDocument); the phase still tells the UI.
  post({ type: 'phase', phase: 'metrics' });
  post({ type: 'phase', phase: 'saving' });
  post({ type: 'result', config, document: JSON.stringify(document), headline: headlineOf(document) });
}
