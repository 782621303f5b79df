/**
 * `npm run bench:backtest`: speed of the backtest engine (server/src/engine/backtest) running dual
 * MA 5/20, against the floor measured in the same process — one flat typed-array loop that makes
 * the same crossovers and the same fills (shared cash, all-in lots at the next open, fees in fen,
 * limits, T+1, suspension, day validity) and does nothing else (no order records, no events, no
 * strategy callbacks, no views). Two data sets:
 *
 *   minute   czsc 000001.XSHG 1-minute bars, 239,550 rows (../shared/data/csv/czsc/000001.XSHG_1min.zip),
 *            traded as if a main-board stock (an index itself cannot be traded)
 *   daily37  the 37 stocks of ../shared/data/csv/ashare-daily-qfq (2020-01..2025-09) as one portfolio
 *
 * The engine is bundled with esbuild first, so the measured code is the JS an app build runs.
 * Each case alternates engine and floor runs after a warm-up, a full GC before each; the median of
 * --runs is reported in bars/s, with the ratio engine ÷ floor and the targets (≥ 5,000,000 bars/s;
 * within 10× of the floor). The two runs' fills must be identical (day, symbol, side, quantity,
 * price): otherwise the floor is not the same backtest and the bench exits 1. Timing never fails
 * anything. Usage: npm run bench:backtest [-- --runs 5]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importBundled } from './lib/bundle.mjs';
import { unzipSingle } from './lib/zip.mjs';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(root, '../shared/data');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

const { module: E } = await importBundled({
  name: 'backtest',
  contents: [
      "export { runBacktest } from './backtest/engine.ts';",
      "export { dualMa } from './backtest/strategies/dual-ma.ts';",
      "export { resolveStrategyParams } from './backtest/strategy.ts';",
      "export { allocateSeries, setBar, sliceSeries } from './bars/series.ts';",
      "export { parseTimeString, dayStart } from './bars/time.ts';",
      "export { tradeFees, tradeValueFen, transferFeeRow } from './market/costs.ts';",
      "export { toFen } from './market/money.ts';",
      "export { dailyLimitsFen } from './market/limit-guard.ts';",
      "export { roundBuyQuantity } from './market/lots.ts';",
      "export { boardOf } from './backtest/strategies/sizing.ts';",
      "export { sma } from './indicators/talib/moving-averages.ts';",
    ].join('\n'),
  resolveDir: path.join(root, 'server/src/engine'),
});

// ---- data ----
function minuteBars() {
  const { bytes } = unzipSingle(path.join(shared, 'csv/czsc/000001.XSHG_1min.zip'));
  const lines = bytes.toString('utf8').split(/\r?\n/).filter(Boolean);
  const bars = E.allocateSeries(lines.length - 1);
  let n = 0;
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    E.setBar(bars, n++, E.parseTimeString(f[2].slice(0, 16)), +f[4], +f[6], +f[7], +f[5], +f[8], 0);
  }
  return [{ symbol: '600000.SH', bars: E.sliceSeries(bars, 0, n) }];
}

function dailyPortfolio() {
  const dir = path.join(shared, 'csv/ashare-daily-qfq');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => {
      const lines = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1);
      const bars = E.allocateSeries(lines.length);
      lines.forEach((line, i) => {
        const [date, open, close, high, low, volume] = line.split(',');
        E.setBar(bars, i, E.parseTimeString(date), +open, +high, +low, +close, +volume * 100, 0);
      });
      const code = file.slice(0, 6);
      return { symbol: `${code}.${code.startsWith('6') ? 'SH' : 'SZ'}`, bars: E.sliceSeries(bars, 0, lines.length) };
    });
}

// ---- the floor: the same crossovers and fills, nothing else ----
// One timeline over every symbol, one cash pot, orders at the next bar's open, with the same rules
// the engine applies (all-in sizing with the minimum-commission bound and board lots, fees in fen,
// limit-up/down on fills, T+1 at the fill, suspension, day validity) — but as one flat loop over
// typed arrays: no order objects, no events, no strategy callbacks, no views. The SMAs are the
// engine's own kernel: a running sum in another order differs in the last bits, and near a tie that
// moves a cross.
function floorLoop(data, cashFen) {
  const k = data.length;
  const sym = data.map(({ symbol, bars }) => {
    const board = E.boardOf(symbol);
    return { bars, board, fast: E.sma(bars.close, 5), slow: E.sma(bars.close, 20), seen: 0, sign: 0, held: 0, available: 0, pending: 0, met: -1, prevClose: NaN, limits: undefined };
  });
  const steps = new Set();
  for (const { bars } of data) for (let i = 0; i < bars.length; i++) steps.add(bars.ts[i]);
  const times = Float64Array.from(steps).sort();
  let cash = cashFen;
  const fills = [];
  let bars = 0;
  let day = -1;
  for (let t = 0; t < times.length; t++) {
    const time = times[t];
    const d = E.dayStart(time);
    if (d !== day) {
      day = d;
      for (const s of sym) {
        s.available = s.held; // T+1: yesterday's buys settle
        s.prevClose = s.seen > 0 ? s.bars.close[s.seen - 1] : NaN;
        s.limits = s.prevClose === s.prevClose ? E.dailyLimitsFen(s.board, false, day, s.prevClose) : undefined;
      }
    }
    // Orders meet this step's bars at the open (per symbol: its sell, or its buy).
    for (let j = 0; j < k; j++) {
      const s = sym[j];
      const has = s.seen < s.bars.length && s.bars.ts[s.seen] === time;
      if (has) {
        s.seen++;
        bars++;
      }
      if (s.pending === 0) continue;
      if (!has) {
        if (time === day) s.met = day; // a daily bar missing: suspended, cancelled at the day's end
        continue;
      }
      s.met = day;
      const i = s.seen - 1;
      const priceFen = E.toFen(s.bars.open[i]);
      if (s.limits && (s.pending > 0 ? priceFen >= s.limits.up : priceFen <= s.limits.down)) continue; // waits; cancelled at the day's end
      const qty = Math.abs(s.pending);
      const value = E.tradeValueFen(qty, priceFen);
      const fees = E.tradeFees(s.pending > 0 ? 'buy' : 'sell', value, day, undefined, s.board).totalFen;
      if (s.pending > 0) {
        if (value + fees <= cash) {
          cash -= value + fees;
          s.held += qty;
          fills.push(`${day} ${j} buy ${qty} ${priceFen}`);
        }
      } else if (qty <= s.available) {
        cash += value - fees;
        s.held -= qty;
        s.available -= qty;
        fills.push(`${day} ${j} sell ${qty} ${priceFen}`);
      }
      s.pending = 0;
    }
    // The strategy: crosses on this step's bars, all-in buys sharing one budget.
    let budget = cash / 100;
    for (let j = 0; j < k; j++) {
      const s = sym[j];
      const i = s.seen - 1;
      if (i < 0 || s.bars.ts[i] !== time) continue;
      const diff = s.fast[i] - s.slow[i];
      if (!(diff === diff) || diff === 0) continue;
      const before = s.sign;
      s.sign = diff > 0 ? 1 : -1;
      if (diff > 0 && before < 0 && s.held === 0) {
        const close = s.bars.close[i];
        const transfer = E.transferFeeRow(day, s.board).rate;
        const shares = Math.max(0, Math.min(budget / (close * (1 + 0.00025 + transfer)), (budget - 5) / (close * (1 + transfer))));
        const qty = E.roundBuyQuantity(s.board, Math.floor(shares), day);
        if (qty > 0) {
          s.pending = qty;
          s.met = -1;
          const value = qty * close;
          budget -= value * (1 + transfer) + Math.max(value * 0.00025, 5);
        }
      } else if (diff < 0 && before > 0 && s.held > 0) {
        s.pending = -s.held;
        s.met = -1;
      }
    }
    // Day validity: an order met by a bar today and not filled goes at the day's end.
    if (t + 1 === times.length || E.dayStart(times[t + 1]) !== day) {
      for (const s of sym) if (s.pending !== 0 && s.met === day) s.pending = 0;
    }
  }
  return { fills, bars };
}

// ---- timing ----
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function timed(fn) {
  gc();
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const cashFen = 100_000_000; // 1,000,000 CNY
console.log(`bench:backtest — dual MA 5/20, median of ${runs} alternating runs (engine bundled with esbuild)\n`);
for (const [name, load] of [
  ['minute (239,550 bars, one symbol)', minuteBars],
  ['daily37 (37 stocks, one portfolio)', dailyPortfolio],
]) {
  const data = load();
  const strategy = () => E.dualMa.create(E.resolveStrategyParams(E.dualMa, { fast: 5, slow: 20 }));
  const engine = () => E.runBacktest({ data, initialCashFen: cashFen }, strategy());
  for (let i = 0; i < 2; i++) {
    engine();
    floorLoop(data, cashFen);
  }
  const ours = [];
  const floor = [];
  let run;
  let bare;
  for (let i = 0; i < runs; i++) {
    const a = timed(engine);
    ours.push(a.ms);
    run = a.result;
    const b = timed(() => floorLoop(data, cashFen));
    floor.push(b.ms);
    bare = b.result;
  }
  const oursRate = run.barsProcessed / (median(ours) / 1000);
  const floorRate = bare.bars / (median(floor) / 1000);
  console.log(name);
  console.log(`  engine  ${median(ours).toFixed(1)} ms  ${fmt(oursRate)} bars/s  (${run.fills.length} fills, ${run.steps} steps)`);
  console.log(`  floor   ${median(floor).toFixed(1)} ms  ${fmt(floorRate)} bars/s  (${bare.fills.length} fills)`);
  const index = new Map(data.map((d, j) => [d.symbol, j]));
  const engineFills = run.fills.map((f) => `${f.day} ${index.get(f.symbol)} ${f.side} ${f.quantity} ${f.priceFen}`);
  const same = engineFills.length === bare.fills.length && engineFills.every((f, i) => f === bare.fills[i]);
  console.log(`  fills   ${same ? 'identical (day, symbol, side, quantity, price)' : 'DIFFER: the floor is not the same backtest'}`);
  if (!same) process.exitCode = 1;
  console.log(`  ratio   floor ÷ engine ×${(floorRate / oursRate).toFixed(2)}   targets: ≥ 5,000,000 bars/s ${oursRate >= 5e6 ? 'met' : 'NOT met'}; within 10× of the floor ${floorRate / oursRate <= 10 ? 'met' : 'NOT met'}\n`);
}
