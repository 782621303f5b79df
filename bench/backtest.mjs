/**
 * `npm run bench:backtest`: speed of the backtest engine (server/src/engine/backtest) running dual
 * MA 5/20, against the floor measured in the same process — a bare typed-array loop that computes
 * the same SMA crossovers and the same all-in next-open fills with the same fees in fen, and does
 * nothing else (no rules object, no strategy callbacks, no order records). Two data sets:
 *
 *   minute   czsc 000001.XSHG 1-minute bars, 239,550 rows (../shared/data/csv/czsc/000001.XSHG_1min.zip),
 *            traded as if a main-board stock (an index itself cannot be traded)
 *   daily37  the 37 stocks of ../shared/data/csv/ashare-daily-qfq (2020-01..2025-09) as one portfolio
 *
 * The engine is bundled with esbuild first, so the measured code is the JS an app build runs.
 * Each case alternates engine and floor runs after a warm-up, a full GC before each; the median of
 * --runs is reported in bars/s, with the ratio engine ÷ floor and the targets (≥ 5,000,000 bars/s;
 * within 10× of the floor). The floor's fill count is compared with the engine's as a sanity check.
 * Timing never fails anything. Usage: npm run bench:backtest [-- --runs 5]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { build, stop as stopEsbuild } from 'esbuild';
import { unzipSingle } from './lib/zip.mjs';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(root, '../shared/data');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

const work = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-backtest-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const bundle = path.join(work, 'engine.mjs');
await build({
  stdin: {
    contents: [
      "export { runBacktest } from './backtest/engine.ts';",
      "export { dualMa } from './backtest/strategies/dual-ma.ts';",
      "export { resolveStrategyParams } from './backtest/strategy.ts';",
      "export { allocateSeries, setBar, sliceSeries } from './bars/series.ts';",
      "export { parseTimeString, dayStart } from './bars/time.ts';",
      "export { tradeFees, tradeValueFen, transferFeeRow } from './market/costs.ts';",
      "export { toFen } from './market/money.ts';",
    ].join('\n'),
    resolveDir: path.join(root, 'server/src/engine'),
    sourcefile: 'bench-backtest-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: bundle,
  logLevel: 'error',
});
await stopEsbuild();
const E = await import(pathToFileURL(bundle).href);

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
function sma(close, period) {
  const out = new Float64Array(close.length).fill(NaN);
  let sum = 0;
  for (let i = 0; i < close.length; i++) {
    sum += close[i];
    if (i >= period) sum -= close[i - period];
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/** Per symbol independently (a shared cash pot is the engine's job): crossovers, all-in lots, fees. */
function floorLoop(data, cashFen) {
  let fills = 0;
  let bars = 0;
  for (const { bars: b } of data) {
    const n = b.length;
    const fast = sma(b.close, 5);
    const slow = sma(b.close, 20);
    let cash = cashFen;
    let held = 0;
    let pending = 0; // +qty buy, −qty sell at the next open
    let sign = 0;
    for (let i = 0; i < n; i++) {
      bars++;
      if (pending !== 0) {
        const priceFen = E.toFen(b.open[i]);
        const value = E.tradeValueFen(Math.abs(pending), priceFen);
        const fees = E.tradeFees(pending > 0 ? 'buy' : 'sell', value, b.ts[i]).totalFen;
        if (pending > 0 && value + fees <= cash) {
          cash -= value + fees;
          held += pending;
          fills++;
        } else if (pending < 0) {
          cash += value - fees;
          held += pending;
          fills++;
        }
        pending = 0;
      }
      const d = fast[i] - slow[i];
      if (!(d === d) || d === 0) continue;
      const s = d > 0 ? 1 : -1;
      if (s > 0 && sign < 0 && held === 0) {
        const lots = Math.floor(cash / 100 / (b.close[i] * 100 * (1 + 0.00025 + E.transferFeeRow(b.ts[i]).rate)));
        if (lots > 0) pending = lots * 100;
      } else if (s < 0 && sign > 0 && held > 0) pending = -held;
      sign = s;
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
  console.log(`  floor   ${median(floor).toFixed(1)} ms  ${fmt(floorRate)} bars/s  (${bare.fills} fills)`);
  console.log(`  ratio   floor ÷ engine ×${(floorRate / oursRate).toFixed(2)}   targets: ≥ 5,000,000 bars/s ${oursRate >= 5e6 ? 'met' : 'NOT met'}; within 10× of the floor ${floorRate / oursRate <= 10 ? 'met' : 'NOT met'}\n`);
}
