/**
 * `npm run bench:indicators`: speed of the indicator kernels (server/src/engine/indicators/talib
 * and tdx) against the `technicalindicators` package (devDependency) on the same data, measured
 * side by side in this process:
 *
 *   walk    a deterministic seeded random walk of --points OHLCV bars (default 1,000,000)
 *   file    czsc 000001.XSHG 1-minute bars, 239,550 rows (../shared/data/csv/czsc/000001.XSHG_1min.zip,
 *           unzipped here with node:zlib)
 *
 * The kernels are bundled with esbuild into a temporary .mjs first and imported from there, so
 * the measured code is the bundled JS an app build runs (not tsx's per-module transform).
 * technicalindicators takes plain arrays: they are converted once, outside the timed region; only
 * the calculate call is timed. For SMA, EMA, RSI, MACD, BBANDS, ATR and STOCH the two alternate
 * (ours, theirs, ours, theirs, …) after a warm-up, each run after a full GC; the median of --runs
 * (ours) and --base-runs (theirs) is reported, and both sides' last values are compared. Every
 * other TA-Lib kernel and the TDX kernels are timed too, without a baseline. Our runs are timed in
 * a long-running process's steady state (freed output columns reused, see settleAllocator); they
 * also report their best run and their minor page faults, and the header says what mapping each
 * output column afresh would add (the per-fault price is measured at start-up).
 *
 * Prints ms per million points, the speed-up ×, and the targets (≥ 10× technicalindicators on the
 * seven; SMA/EMA/RSI/MACD/BBANDS/ATR ≤ 15 ms per million points), each marked met / not met.
 * Timing never fails anything; only an error (or a last-value mismatch where the two conventions
 * agree) exits non-zero. Takes about 2 minutes.
 * Usage: npm run bench:indicators [-- --runs 7 --base-runs 3 --points 1000000 --seed 42 --only sma,rsi,tdx.kdj --keep-bundle]
 * Profile one kernel: node --cpu-prof --cpu-prof-dir=/tmp/prof bench/indicators.mjs --only rsi --keep-bundle
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { version as esbuildVersion } from 'esbuild';
import { importBundled } from './lib/bundle.mjs';
import TI from 'technicalindicators';
import { czscMinuteBars, randomWalk } from './indicators/data.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'base-runs': { type: 'string', default: '3' },
    points: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '42' },
    only: { type: 'string' },
    'keep-bundle': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const baseRuns = Number(values['base-runs']);
const points = Number(values.points);
const only = values.only?.toLowerCase().split(',').map((s) => s.trim()).filter(Boolean);
for (const [name, v] of [['runs', runs], ['base-runs', baseRuns], ['points', points]]) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
}
const zipFile = path.resolve(root, '../shared/data/csv/czsc/000001.XSHG_1min.zip');
const tiVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/technicalindicators/package.json'), 'utf8')).version;

// ---- the kernels, bundled ----
const { module: kernels, outfile } = await importBundled({
  name: 'indicators',
  contents: "export * as talib from './talib/index.ts';\nexport * as tdx from './tdx/index.ts';\n",
  resolveDir: path.join(root, 'server/src/engine/indicators'),
  keep: values['keep-bundle'],
});
const { talib: ta, tdx } = kernels;

// ---- timing ----
// A full GC before every run, however node was started (the flag can be turned on at run time).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const faults = () => process.resourceUsage().minorPageFault;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * One timed call, after a full GC, with the minor page faults it took (first touch of freshly
 * mapped memory: the output columns). Only `pick(result)` (the last values to compare) outlives
 * it: a result kept alive into the other side's run (a million technicalindicators objects)
 * would make that run pay for marking it.
 */
function timed(fn, pick) {
  gc();
  const f0 = faults();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  return { ms, faults: faults() - f0, last: pick ? pick(result) : undefined };
}

/** Our runs: median and best time, median page faults. */
const summary = (rs) => ({ ours: median(rs.map((r) => r.ms)), best: Math.min(...rs.map((r) => r.ms)), faults: median(rs.map((r) => r.faults)) });

/**
 * Warm-up: at least `calls` calls and 300 ms. A count alone is not enough on a busy machine:
 * TurboFan compiles on a background thread, and runs taken before its code is in are 2–4× slower.
 */
function warm(fn, calls) {
  const t0 = performance.now();
  for (let i = 0; i < calls || performance.now() - t0 < 300; i++) timed(fn);
}

/** Ours and theirs alternately after a warm-up: medians and each side's last values (first run). */
function sideBySide(ours, theirs, pickOurs, pickTheirs) {
  warm(ours, 10);
  warm(theirs, 1);
  const a = [];
  const b = [];
  let la;
  let lb;
  for (let i = 0; i < Math.max(runs, baseRuns); i++) {
    if (i < runs) {
      a.push(timed(ours, i === 0 ? pickOurs : undefined));
      if (i === 0) la = a[0].last;
    }
    if (i < baseRuns) {
      b.push(timed(theirs, i === 0 ? pickTheirs : undefined));
      if (i === 0) lb = b[0].last;
    }
  }
  return { ...summary(a), theirs: median(b.map((r) => r.ms)), la, lb };
}

function alone(ours) {
  warm(ours, 10);
  const a = [];
  for (let i = 0; i < runs; i++) a.push(timed(ours));
  return summary(a);
}

/**
 * What one first-touch page fault costs here: writing a fresh column (faulting its pages in)
 * minus writing it again, per fault. Median over 7 columns; NaN when no write faulted.
 */
function faultCost(n) {
  const per = [];
  for (let i = 0; i < 7; i++) {
    gc();
    const col = new Float64Array(n);
    const f0 = faults();
    const t0 = performance.now();
    col.fill(1);
    const t1 = performance.now();
    const f = faults() - f0;
    col.fill(2);
    const t2 = performance.now();
    if (f > 0) per.push(Math.max(0, ((t1 - t0 - (t2 - t1)) * 1000) / f));
  }
  return per.length ? median(per) : NaN;
}

/**
 * The steady state of a long-running process: glibc serves a large calloc with a fresh mmap (every
 * page faulted in on first write) until a mapped chunk that large has been freed; then it raises
 * its mmap and trim thresholds and reuses freed memory. Freeing one 24 MiB column sets that state
 * on purpose (loading the 21 MB CSV does it too, but only by accident). Page faults per call are
 * reported anyway, so a run in the other state shows itself.
 */
function settleAllocator() {
  new Float64Array((24 * 1024 * 1024) / 8).fill(1);
  gc();
}

// ---- the cases ----
const lastOf = (xs) => xs[xs.length - 1];

/**
 * The seven with a baseline. `check` names the compared values, `lastOurs`/`lastTheirs` pick them
 * from each side's result; `strict` cases must agree within 1e-6 relative (or `tolerance`,
 * absolute), the others report a convention difference instead of failing.
 */
const BASELINE = [
  {
    key: 'sma',
    name: 'SMA(20)',
    ours: (d) => () => ta.sma(d.close, 20),
    theirs: (p) => { const input = { period: 20, values: p.close }; return () => TI.SMA.calculate(input); },
    check: ['sma'],
    lastOurs: (o) => [lastOf(o)],
    lastTheirs: (t) => [lastOf(t)],
    strict: true,
  },
  {
    key: 'ema',
    name: 'EMA(20)',
    ours: (d) => () => ta.ema(d.close, 20),
    theirs: (p) => { const input = { period: 20, values: p.close }; return () => TI.EMA.calculate(input); },
    check: ['ema'],
    lastOurs: (o) => [lastOf(o)],
    lastTheirs: (t) => [lastOf(t)],
    strict: true,
    note: 'both seed with the SMA of the first 20 values',
  },
  {
    key: 'rsi',
    name: 'RSI(14)',
    ours: (d) => () => ta.rsi(d.close, 14),
    theirs: (p) => { const input = { period: 14, values: p.close }; return () => TI.RSI.calculate(input); },
    check: ['rsi'],
    lastOurs: (o) => [lastOf(o)],
    lastTheirs: (t) => [lastOf(t)],
    tolerance: 0.005 + 1e-9,
    note: 'technicalindicators rounds every RSI to 2 decimals (toFixed(2)); compared within ±0.005',
  },
  {
    key: 'macd',
    name: 'MACD(12,26,9)',
    ours: (d) => () => ta.macd(d.close, 12, 26, 9),
    theirs: (p) => {
      const input = { values: p.close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false };
      return () => TI.MACD.calculate(input);
    },
    check: ['macd', 'signal', 'hist'],
    lastOurs: (o) => [lastOf(o.macd), lastOf(o.signal), lastOf(o.hist)],
    lastTheirs: (t) => [lastOf(t).MACD, lastOf(t).signal, lastOf(t).histogram],
    strict: true,
    note: 'TA-Lib seeds the fast EMA on bars 14..25, technicalindicators on bars 0..11: early values differ, the seeds decay away',
  },
  {
    key: 'bbands',
    name: 'BBANDS(20,2)',
    ours: (d) => () => ta.bbands(d.close, 20, 2, 2, ta.MA_SMA),
    theirs: (p) => { const input = { period: 20, values: p.close, stdDev: 2 }; return () => TI.BollingerBands.calculate(input); },
    check: ['upper', 'middle', 'lower'],
    lastOurs: (o) => [lastOf(o.upper), lastOf(o.middle), lastOf(o.lower)],
    lastTheirs: (t) => [lastOf(t).upper, lastOf(t).middle, lastOf(t).lower],
    strict: true,
    note: 'both use the population standard deviation',
  },
  {
    key: 'atr',
    name: 'ATR(14)',
    ours: (d) => () => ta.atr(d.high, d.low, d.close, 14),
    theirs: (p) => { const input = { period: 14, high: p.high, low: p.low, close: p.close }; return () => TI.ATR.calculate(input); },
    check: ['atr'],
    lastOurs: (o) => [lastOf(o)],
    lastTheirs: (t) => [lastOf(t)],
    note: 'technicalindicators seeds like TA-Lib (mean true range of bars 1..14, then Wilder); reported, not enforced',
  },
  {
    key: 'stoch',
    name: 'STOCH(14,3,3)',
    ours: (d) => () => ta.stoch(d.high, d.low, d.close, 14, 3, ta.MA_SMA, 3, ta.MA_SMA),
    theirs: (p) => { const input = { period: 14, signalPeriod: 3, high: p.high, low: p.low, close: p.close }; return () => TI.Stochastic.calculate(input); },
    check: ['slow %K vs their d'],
    lastOurs: (o) => [lastOf(o.k)],
    lastTheirs: (t) => [lastOf(t).d],
    note: 'technicalindicators has no %K slowing: its k is fast %K and d = SMA(3) of it, i.e. our slow %K (compared); our slow %D (one SMA more) has no counterpart',
  },
];

/** Every other TA-Lib kernel and the TDX kernels, with the registry's default parameters. */
const ALONE = [
  ['wma', 'WMA(20)', (d) => () => ta.wma(d.close, 20)],
  ['dema', 'DEMA(20)', (d) => () => ta.dema(d.close, 20)],
  ['tema', 'TEMA(20)', (d) => () => ta.tema(d.close, 20)],
  ['trima', 'TRIMA(20)', (d) => () => ta.trima(d.close, 20)],
  ['kama', 'KAMA(30)', (d) => () => ta.kama(d.close, 30)],
  ['ma', 'MA(20, EMA)', (d) => () => ta.ma(d.close, 20, ta.MA_EMA)],
  ['stddev', 'STDDEV(20,1)', (d) => () => ta.stddev(d.close, 20, 1)],
  ['sar', 'SAR(0.02,0.2)', (d) => () => ta.sar(d.high, d.low, 0.02, 0.2)],
  ['vwap', 'VWAP', (d) => () => ta.vwap(d.high, d.low, d.close, d.volume)],
  ['stochf', 'STOCHF(14,3)', (d) => () => ta.stochf(d.high, d.low, d.close, 14, 3, ta.MA_SMA)],
  ['stochrsi', 'STOCHRSI(14,5,3)', (d) => () => ta.stochRsi(d.close, 14, 5, 3, ta.MA_SMA)],
  ['cci', 'CCI(14)', (d) => () => ta.cci(d.high, d.low, d.close, 14)],
  ['mfi', 'MFI(14)', (d) => () => ta.mfi(d.high, d.low, d.close, d.volume, 14)],
  ['willr', 'WILLR(14)', (d) => () => ta.willr(d.high, d.low, d.close, 14)],
  ['roc', 'ROC(10)', (d) => () => ta.roc(d.close, 10)],
  ['mom', 'MOM(10)', (d) => () => ta.mom(d.close, 10)],
  ['trix', 'TRIX(30)', (d) => () => ta.trix(d.close, 30)],
  ['adx', 'ADX(14)', (d) => () => ta.adx(d.high, d.low, d.close, 14)],
  ['plus_di', 'PLUS_DI(14)', (d) => () => ta.plusDi(d.high, d.low, d.close, 14)],
  ['minus_di', 'MINUS_DI(14)', (d) => () => ta.minusDi(d.high, d.low, d.close, 14)],
  ['natr', 'NATR(14)', (d) => () => ta.natr(d.high, d.low, d.close, 14)],
  ['trange', 'TRANGE', (d) => () => ta.trange(d.high, d.low, d.close)],
  ['obv', 'OBV', (d) => () => ta.obv(d.close, d.volume)],
  ['ad', 'AD', (d) => () => ta.ad(d.high, d.low, d.close, d.volume)],
  ['adosc', 'ADOSC(3,10)', (d) => () => ta.adosc(d.high, d.low, d.close, d.volume, 3, 10)],
  ['vol', 'VOL MA(5)', (d) => () => ta.volumeMa(d.volume, 5)],
  ['tdx.ma', 'MA(5)', (d) => () => tdx.ma(d.close, 5)],
  ['tdx.ema', 'EMA(12)', (d) => () => tdx.ema(d.close, 12)],
  ['tdx.sma', 'SMA(3,1)', (d) => () => tdx.sma(d.close, 3, 1)],
  ['tdx.boll', 'BOLL(20,2)', (d) => () => tdx.boll(d.close, 20, 2)],
  ['tdx.macd', 'MACD(12,26,9)', (d) => () => tdx.macd(d.close, 12, 26, 9)],
  ['tdx.kdj', 'KDJ(9,3,3)', (d) => () => tdx.kdj(d.high, d.low, d.close, 9, 3, 3)],
  ['tdx.rsi', 'RSI(6)', (d) => () => tdx.rsi(d.close, 6)],
  ['tdx.wr', 'WR(10)', (d) => () => tdx.wr(d.high, d.low, d.close, 10)],
  ['tdx.bias', 'BIAS(6)', (d) => () => tdx.bias(d.close, 6)],
  ['tdx.cci', 'CCI(14)', (d) => () => tdx.cci(d.high, d.low, d.close, 14)],
  ['tdx.psy', 'PSY(12,6)', (d) => () => tdx.psy(d.close, 12, 6)],
  ['tdx.dma', 'DMA(10,50,10)', (d) => () => tdx.dma(d.close, 10, 50, 10)],
  ['tdx.trix', 'TRIX(12,9)', (d) => () => tdx.trix(d.close, 12, 9)],
  ['tdx.obv', 'OBV(30)', (d) => () => tdx.obv(d.close, d.volume, 30)],
  ['tdx.vr', 'VR(26,6)', (d) => () => tdx.vr(d.close, d.volume, 26, 6)],
  ['tdx.asi', 'ASI(26,10)', (d) => () => tdx.asi(d.open, d.high, d.low, d.close, 26, 10)],
  ['tdx.vol', 'VOL MA(5)', (d) => () => tdx.ma(d.volume, 5)],
].map(([key, name, ours]) => ({ key, name, ours }));

const selected = (c) => !only || only.includes(c.key);
const baseline = BASELINE.filter(selected);
const solo = ALONE.filter(selected);
if (only && baseline.length + solo.length === 0) throw new Error(`--only ${values.only}: no such indicator (keys: ${[...BASELINE, ...ALONE].map((c) => c.key).join(', ')})`);

// ---- data ----
const pageCost = faultCost(1_000_000); // first: before anything has raised glibc's mmap threshold
const walk = randomWalk(points, Number(values.seed));
const file = czscMinuteBars(zipFile);
const sets = [
  { id: 'walk', label: `random walk, ${points.toLocaleString('en-US')} points`, bars: walk },
  { id: 'file', label: `${file.name}, ${file.bars.close.length.toLocaleString('en-US')} bars`, bars: file.bars },
];
for (const s of sets) {
  s.n = s.bars.close.length;
  s.plain = Object.fromEntries(Object.entries(s.bars).map(([k, v]) => [k, Array.from(v)]));
}

settleAllocator();
const cpu = cpus();
console.log(`bench:indicators — Node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}); technicalindicators ${tiVersion}; kernels bundled with esbuild ${esbuildVersion}`);
console.log(`data: ${sets.map((s) => s.label).join('; ')} (seed ${values.seed})`);
console.log(`median of ${runs} runs (ours) / ${baseRuns} (technicalindicators), alternating, after a warm-up; full GC before each run`);
console.log(
  `memory: steady state, freed columns are reused (see page faults per call); a process that maps each new 1M-point column afresh pays ≈ ${((pageCost * 1954) / 1000).toFixed(1)} ms more per output column here (1,954 page faults × ${pageCost.toFixed(2)} µs)`,
);
console.log('');

// ---- measure ----
const perM = (ms, n) => (ms * 1e6) / n;
const relClose = (a, b, tol) => (tol !== undefined ? Math.abs(a - b) <= tol : Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-12));
const results = baseline.map((c) => {
  const row = { c, sets: {} };
  for (const s of sets) {
    const m = sideBySide(c.ours(s.bars), c.theirs(s.plain), c.lastOurs, c.lastTheirs);
    const checks = c.check.map((what, k) => {
      const [a, b] = [m.la[k], m.lb[k]];
      return { what, a, b, ok: Number.isFinite(a) && Number.isFinite(b) && relClose(a, b, c.tolerance) };
    });
    row.sets[s.id] = { ...m, checks };
  }
  return row;
});
const soloResults = solo.map((c) => ({ c, sets: Object.fromEntries(sets.map((s) => [s.id, alone(c.ours(s.bars))])) }));

// ---- report ----
const num = (x, w = 9) => (!Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)).padStart(w);
const times = (x) => `${x.toFixed(1)}×`.padStart(9);
const int = (x, w) => Math.round(x).toLocaleString('en-US').padStart(w);
/** ms per million points (median and best run) and the page faults per call. */
const costCols = (r, n) => `${num(perM(r.ours, n), 11)} ${num(perM(r.best, n), 9)} ${int(r.faults, 12)}`;
const costHead = `${'ours ms/1M'.padStart(11)} ${'best'.padStart(9)} ${'page faults'.padStart(12)}`;
if (results.length) {
  for (const s of sets) {
    console.log(`${s.label}: ours vs technicalindicators`);
    console.log(`  ${'indicator'.padEnd(15)} ${'ours ms'.padStart(9)} ${'t.i. ms'.padStart(9)} ${'speed-up'.padStart(9)}    ${costHead}`);
    for (const { c, sets: r } of results) {
      const x = r[s.id];
      console.log(`  ${c.name.padEnd(15)} ${num(x.ours)} ${num(x.theirs)} ${times(x.theirs / x.ours)}    ${costCols(x, s.n)}`);
    }
    console.log('');
  }
  console.log('last values, ours vs technicalindicators (relative tolerance 1e-6 unless noted):');
  for (const { c, sets: r } of results) {
    const ok = sets.every((s) => r[s.id].checks.every((k) => k.ok));
    const verdict = ok ? 'agree' : c.strict ? 'MISMATCH' : 'differ (convention, see note)';
    const detail = sets.map((s) => `${s.id} ${r[s.id].checks.map((k) => `${k.what} ${k.a.toPrecision(10)} / ${k.b.toPrecision(10)}${k.ok ? '' : ' ✗'}`).join(', ')}`).join('; ');
    console.log(`  ${c.name.padEnd(15)} ${verdict}: ${detail}`);
    if (c.note) console.log(`  ${''.padEnd(15)} note: ${c.note}`);
  }
  console.log('');
}

if (soloResults.length) {
  console.log(`without a baseline (ours only; ${sets.map((s) => `${s.id}: ${s.label}`).join('; ')}):`);
  console.log(`  ${'kernel'.padEnd(24)} ${sets.map((s) => `${s.id.padStart(5)} ${costHead}`).join('  ')}`);
  for (const { c, sets: r } of soloResults) {
    const conv = c.key.startsWith('tdx.') ? 'TDX' : 'TA-Lib';
    console.log(`  ${`${conv} ${c.name}`.padEnd(24)} ${sets.map((s) => `${''.padStart(5)} ${costCols(r[s.id], s.n)}`).join('  ')}`);
  }
  console.log('  (page faults: median per call, first touch of freshly mapped memory — mostly the output columns)');
  console.log('');
}

if (results.length) {
  const W = sets[0];
  const mark = (met) => (met ? 'met' : 'NOT MET');
  const speed = results.map(({ c, sets: r }) => {
    const x = Math.min(...sets.map((s) => r[s.id].theirs / r[s.id].ours));
    return `${c.key.toUpperCase()} ${x.toFixed(1)}× ${mark(x >= 10)}`;
  });
  const fast = results
    .filter(({ c }) => c.key !== 'stoch')
    .map(({ c, sets: r }) => {
      const ms = perM(r.walk.ours, W.n);
      const faultMs = perM((r.walk.faults * pageCost) / 1000, W.n);
      const why = [`best run ${perM(r.walk.best, W.n).toFixed(1)} ms`, ...(faultMs > 0.05 ? [`≈ ${faultMs.toFixed(1)} ms of it page faults`] : [])];
      return `${c.key.toUpperCase()} ${ms.toFixed(1)} ms ${mark(ms <= 15)}${ms > 15 ? ` (${why.join(', ')})` : ''}`;
    });
  console.log('targets:');
  console.log(`  ≥ 10× faster than technicalindicators (lower of the two data sets): ${speed.join(' · ')}`);
  if (fast.length) console.log(`  ≤ 15 ms per million points (random walk): ${fast.join(' · ')}`);
}
if (values['keep-bundle']) console.log(`\nbundle kept: ${outfile}`);

const mismatches = results.filter(({ c, sets: r }) => c.strict && !Object.values(r).every((x) => x.checks.every((k) => k.ok)));
if (mismatches.length) {
  console.error(`\nerror: last values disagree where the conventions agree: ${mismatches.map(({ c }) => c.name).join(', ')}`);
  process.exitCode = 1;
}
