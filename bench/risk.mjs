/**
 * `npm run bench:risk`: speed of the risk rules engine (server/src/engine/rules) on full ticks of
 * quotes, against the floor measured in the same process.
 *
 *   book     1,000 rules of mixed kinds and scopes over 5,000 symbols (600000–602499.SH,
 *            000001–002500.SZ): price crossings, N-minute changes, volume surges and limit touches
 *            on single symbols and on 20-symbol watchlists; position losses on single symbols and
 *            account-wide (100 holdings); plus indicator and portfolio rules, which a quote never
 *            reaches. Frequencies once / once-per-bar 1m / every 60 s.
 *   ticks    a poll every 3 s from 10:00 Beijing: 5,000 quotes each (random walks near the levels,
 *            a few symbols at their limits); 120 ticks (6 minutes) fill the price rings untimed,
 *            then --ticks ticks are timed one by one.
 *   floor    one flat loop over typed arrays: per symbol its rule slots (kind and threshold) in one
 *            CSR layout, the previous price, a price history by tick, the limits, the cost and the
 *            average volume by symbol number — the same threshold checks, no map, no index, no
 *            trigger policy, no trigger objects.
 *
 * The engine is bundled with esbuild first, so the measured code is the JS an app build runs. The
 * floor is checked against the engine: a book of the same rules with every frequency set to
 * `every` without cooldown must fire exactly as many triggers per tick as the floor finds
 * conditions holding; otherwise the floor is not the same work and the bench exits 1. Runs
 * alternate engine and floor, a full GC before each; reported: the median ms per tick over the
 * timed ticks of all runs, quote evaluations/s, and the ratio engine ÷ floor, with the target
 * (≤ 10 ms per 5,000-quote tick, ≥ 500,000 quotes/s). Timing never fails anything.
 * Usage: npm run bench:risk [-- --runs 5 --ticks 60]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { importBundled } from './lib/bundle.mjs';
import { mulberry32 } from './lib/random.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, ticks: { type: 'string', default: '60' } } });
const runs = Number(values.runs);
const timedTicks = Number(values.ticks);

const { module: E } = await importBundled({
  name: 'risk',
  contents: ["export { RuleBook } from './rules/index.ts';", "export { dailyLimitsFen } from './market/limit-guard.ts';"].join('\n'),
  resolveDir: path.join(root, 'server/src/engine'),
});

// ---- market ----
const SYMBOLS = 5_000;
const WARM_TICKS = 120;
const TICKS = WARM_TICKS + timedTicks;
const TICK_MS = 3_000;
const START_MS = Date.parse('2026-03-02T10:00:00+08:00');
const DAY = Date.parse('2026-03-02T00:00:00Z') / 1000; // bar time of the day
const TICKS_PER_MINUTE = 60_000 / TICK_MS;

/** Deterministic random numbers, so every run and every machine sees the same market. */
const random = mulberry32;
const rnd = random(20260302);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

const symbols = Array.from({ length: SYMBOLS }, (_, i) => (i < SYMBOLS / 2 ? `${600000 + i}.SH` : `${String(1 + i - SYMBOLS / 2).padStart(6, '0')}.SZ`));
const baseFen = Int32Array.from(symbols, () => int(500, 5_000));
const prevCloseFen = Int32Array.from(baseFen);
// 1 % of the symbols open at their limit-up price and stay around it.
for (let s = 0; s < SYMBOLS; s += 100) prevCloseFen[s] = Math.round(baseFen[s] / 1.1);
const limitUp = new Int32Array(SYMBOLS);
const limitDown = new Int32Array(SYMBOLS);
for (let s = 0; s < SYMBOLS; s++) {
  const limits = E.dailyLimitsFen('main', false, DAY, prevCloseFen[s] / 100);
  limitUp[s] = limits.up;
  limitDown[s] = limits.down;
  if (s % 100 === 0) baseFen[s] = limits.up;
}
const averageVolume = Float64Array.from(symbols, () => int(1, 50) * 1_000_000);

/** Prices (yuan) and cumulative volumes by [tick × symbol]: walks of ±3 fen within the limits. */
const price = new Float64Array(TICKS * SYMBOLS);
const volume = new Float64Array(TICKS * SYMBOLS);
{
  const fen = Int32Array.from(baseFen);
  const vol = Float64Array.from(averageVolume, (v) => v * (0.1 + rnd() * 0.3));
  for (let k = 0; k < TICKS; k++) {
    for (let s = 0; s < SYMBOLS; s++) {
      fen[s] = Math.min(limitUp[s], Math.max(limitDown[s], fen[s] + int(-3, 3)));
      vol[s] += averageVolume[s] * rnd() * 0.001;
      price[k * SYMBOLS + s] = fen[s] / 100;
      volume[k * SYMBOLS + s] = Math.round(vol[s]);
    }
  }
}
const held = Array.from({ length: 100 }, (_, i) => i * 50 + 7);
const costFen = new Float64Array(SYMBOLS);
for (const s of held) costFen[s] = Math.round(baseFen[s] * (1 + rnd() * 0.06));
const snapshot = {
  timeMs: START_MS,
  equityFen: 1e10,
  previousCloseEquityFen: 1.01e10,
  peakEquityFen: 1.05e10,
  positions: held.map((s) => ({ symbol: symbols[s], name: symbols[s], quantity: 1_000, avgCostFen: costFen[s], lastPriceFen: baseFen[s] })),
  valueAtRisk: { lossFen: 1e8, lossPercent: 1 },
};

// ---- the rules ----
const KIND = { cross: 0, change: 1, volume: 2, limit: 3, loss: 4 };
const FREQUENCIES = [{ mode: 'once' }, { mode: 'once-per-bar', bar: '1m' }, { mode: 'every', cooldownSeconds: 60 }];

/** One quote condition with its parameters for the engine and for the floor (by symbol number). */
function quoteCondition(kind, s) {
  switch (kind) {
    case KIND.cross: {
      const levelFen = baseFen[s] + int(-4, 4);
      return [{ kind: 'price-cross', level: levelFen / 100, direction: ['up', 'down', 'either'][int(0, 2)] }, levelFen];
    }
    case KIND.change: {
      const minutes = int(1, 5);
      return [{ kind: 'price-change', minutes, thresholdPercent: 0.2 + rnd() * 0.3, direction: 'either' }, minutes];
    }
    case KIND.volume:
      return [{ kind: 'volume-surge', days: 20, multiple: 1 + rnd() }, 0];
    case KIND.limit:
      return [{ kind: 'limit-touch', side: 'either' }, 0];
    default:
      return [{ kind: 'position-loss', thresholdPercent: 1 + rnd() * 4 }, 0];
  }
}

const rules = [];
/** Floor slots by symbol: kind, numeric parameter, threshold (percent, multiple) and direction. */
const slots = Array.from({ length: SYMBOLS }, () => []);
function addQuoteRule(kind, scopeSymbols, scope) {
  const [condition, param] = quoteCondition(kind, scopeSymbols[0]);
  rules.push({ id: `q${rules.length}`, name: `rule ${rules.length}`, enabled: true, severity: 'warning', scope, condition, frequency: FREQUENCIES[rules.length % 3] });
  for (const s of scopeSymbols) {
    const threshold = condition.thresholdPercent ?? condition.multiple ?? 0;
    // A crossing level is the same price for every symbol of a watchlist.
    slots[s].push([kind, param, threshold, ['up', 'down', 'either'].indexOf(condition.direction)]);
  }
}
// 400 single-symbol rules of the four market kinds, 200 single-symbol position losses.
for (let i = 0; i < 400; i++) {
  const s = int(0, SYMBOLS - 1);
  addQuoteRule(i % 4, [s], { type: 'symbol', symbol: symbols[s] });
}
for (let i = 0; i < 200; i++) {
  const s = held[i % held.length];
  addQuoteRule(KIND.loss, [s], { type: 'symbol', symbol: symbols[s] });
}
// 100 watchlists of 20 distinct symbols.
for (let i = 0; i < 100; i++) {
  const list = new Set();
  while (list.size < 20) list.add(int(0, SYMBOLS - 1));
  const members = [...list];
  addQuoteRule(i % 4, members, { type: 'watchlist', symbols: members.map((s) => symbols[s]) });
}
// 20 account-wide position losses: expanded on the 100 holdings.
for (let i = 0; i < 20; i++) addQuoteRule(KIND.loss, held, { type: 'account' });
// 80 indicator rules and 200 portfolio rules: in the book, never reached by a quote.
for (let i = 0; i < 80; i++) {
  const s = int(0, SYMBOLS - 1);
  rules.push({ id: `b${i}`, name: `bar ${i}`, enabled: true, severity: 'info', scope: { type: 'symbol', symbol: symbols[s] }, frequency: { mode: 'once-per-bar', bar: 'day' }, condition: { kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'MA', params: { period: 20 } }, direction: 'down' } });
}
const PORTFOLIO = [{ kind: 'drawdown', thresholdPercent: 5 }, { kind: 'daily-loss', unit: 'percent', threshold: 2 }, { kind: 'position-weight', thresholdPercent: 10 }, { kind: 'hhi', threshold: 0.2 }, { kind: 'var', unit: 'fen', threshold: 1e7 }];
for (let i = 0; i < 200; i++) rules.push({ id: `p${i}`, name: `account ${i}`, enabled: true, severity: 'critical', scope: { type: 'account' }, frequency: { mode: 'every', cooldownSeconds: 300 }, condition: PORTFOLIO[i % 5] });

// The floor's CSR layout.
const offsets = new Int32Array(SYMBOLS + 1);
for (let s = 0; s < SYMBOLS; s++) offsets[s + 1] = offsets[s] + slots[s].length;
const slotCount = offsets[SYMBOLS];
const slotKind = new Int8Array(slotCount);
const slotParam = new Int32Array(slotCount);
const slotThreshold = new Float64Array(slotCount);
const slotDirection = new Int8Array(slotCount);
for (let s = 0, j = 0; s < SYMBOLS; s++) for (const [kind, param, threshold, direction] of slots[s]) {
  slotKind[j] = kind;
  slotParam[j] = param;
  slotThreshold[j] = threshold;
  slotDirection[j++] = direction;
}

// ---- the engine ----
const reference = { averageVolume: (symbol) => averageVolume[symbolIndex.get(symbol)] };
const symbolIndex = new Map(symbols.map((s, i) => [s, i]));
const quotes = symbols.map((symbol, s) => ({ symbol, name: symbol, price: 0, prevClose: prevCloseFen[s] / 100, volume: 0, timeMs: 0 }));

function setQuotes(k) {
  const t = START_MS + k * TICK_MS;
  for (let s = 0; s < SYMBOLS; s++) {
    const q = quotes[s];
    q.price = price[k * SYMBOLS + s];
    q.volume = volume[k * SYMBOLS + s];
    q.timeMs = t;
  }
  return t;
}

/** Runs every tick through a fresh book; answers ms per timed tick and triggers per tick. */
function engineRun(definitions) {
  const book = new E.RuleBook({ reference });
  for (const r of definitions) book.add(r);
  book.onPortfolio(snapshot, START_MS);
  const ms = [];
  const fired = new Int32Array(TICKS);
  for (let k = 0; k < TICKS; k++) {
    const now = setQuotes(k);
    const t0 = performance.now();
    let n = 0;
    for (let s = 0; s < SYMBOLS; s++) n += book.onQuote(quotes[s], now).length;
    const t1 = performance.now();
    fired[k] = n;
    if (k >= WARM_TICKS) ms.push(t1 - t0);
  }
  return { ms, fired };
}

// ---- the floor ----
const SESSION_SECONDS = 240 * 60;
function elapsedSeconds(ms) {
  const ofDay = (Math.floor(ms / 1000) + 8 * 3600) % 86_400;
  return Math.max(0, Math.min(7200, ofDay - 34_200)) + Math.max(0, Math.min(7200, ofDay - 46_800));
}

function floorRun() {
  const prevFen = new Float64Array(SYMBOLS).fill(NaN);
  const history = new Float64Array(TICKS * SYMBOLS); // fen by [tick × symbol]
  const ms = [];
  const fired = new Int32Array(TICKS);
  for (let k = 0; k < TICKS; k++) {
    const now = setQuotes(k);
    const t0 = performance.now();
    const elapsed = elapsedSeconds(now);
    const early = elapsed < 300;
    let n = 0;
    for (let s = 0; s < SYMBOLS; s++) {
      const q = quotes[s];
      const fen = Math.round(q.price * 100);
      history[k * SYMBOLS + s] = fen;
      const prev = prevFen[s];
      for (let j = offsets[s], end = offsets[s + 1]; j < end; j++) {
        const threshold = slotThreshold[j];
        switch (slotKind[j]) {
          case 0: {
            const level = slotParam[j];
            const up = prev < level && fen >= level;
            const down = prev > level && fen <= level;
            const d = slotDirection[j];
            if (d === 0 ? up : d === 1 ? down : up || down) n++;
            break;
          }
          case 1: {
            const back = k - slotParam[j] * TICKS_PER_MINUTE;
            if (back < 0) break;
            const base = history[back * SYMBOLS + s];
            const change = ((fen - base) / base) * 100;
            if (change >= threshold || change <= -threshold) n++;
            break;
          }
          case 2:
            if (!early && q.volume / ((averageVolume[s] * elapsed) / SESSION_SECONDS) >= threshold) n++;
            break;
          case 3:
            if (fen === limitUp[s] || fen === limitDown[s]) n++;
            break;
          default:
            if (costFen[s] > 0 && ((costFen[s] - fen) / costFen[s]) * 100 >= threshold) n++;
        }
      }
      prevFen[s] = fen;
    }
    const t1 = performance.now();
    fired[k] = n;
    if (k >= WARM_TICKS) ms.push(t1 - t0);
  }
  return { ms, fired };
}

// ---- check: the floor finds exactly the conditions the engine fires on without a policy ----
const everyTime = rules.map((r) => ({ ...r, frequency: { mode: 'every', cooldownSeconds: 0 } }));
const check = engineRun(everyTime);
const floorCheck = floorRun();
const mismatch = [...check.fired].findIndex((n, k) => n !== floorCheck.fired[k]);
if (mismatch >= 0) {
  console.error(`floor ≠ engine at tick ${mismatch}: engine ${check.fired[mismatch]} conditions, floor ${floorCheck.fired[mismatch]}`);
  process.exit(1);
}
const conditionsPerTick = check.fired.slice(WARM_TICKS).reduce((a, b) => a + b, 0) / timedTicks;

// ---- timing ----
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
engineRun(rules);
floorRun(); // warm-up
const engineMs = [];
const floorMs = [];
let triggersPerTick = 0;
for (let r = 0; r < runs; r++) {
  gc();
  const e = engineRun(rules);
  engineMs.push(...e.ms);
  triggersPerTick = e.fired.slice(WARM_TICKS).reduce((a, b) => a + b, 0) / timedTicks;
  gc();
  floorMs.push(...floorRun().ms);
}

const quoteRuleCount = rules.filter((r) => r.id.startsWith('q')).length;
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const eMs = median(engineMs);
const fMs = median(floorMs);
console.log(`bench:risk — ${rules.length} rules (${quoteRuleCount} quote rules, ${slotCount} symbol listings) over ${fmt(SYMBOLS)} symbols; ${timedTicks} timed ticks × ${runs} runs after ${WARM_TICKS} untimed`);
console.log(`  conditions holding per tick ${fmt(conditionsPerTick, 1)}, triggers after the policy per tick ${fmt(triggersPerTick, 1)} (floor check: identical condition counts on all ${TICKS} ticks)`);
console.log(`  engine  ${fmt(eMs, 3)} ms per ${fmt(SYMBOLS)}-quote tick (median; p90 ${fmt(engineMs.sort((a, b) => a - b)[Math.floor(engineMs.length * 0.9)], 3)} ms)  ${fmt((SYMBOLS / eMs) * 1000)} quote evaluations/s  ${fmt((slotCount / eMs) * 1000)} rule evaluations/s`);
console.log(`  floor   ${fmt(fMs, 3)} ms per tick  ${fmt((SYMBOLS / fMs) * 1000)} quotes/s`);
console.log(`  ratio   engine ÷ floor ${fmt(eMs / fMs, 2)}×`);
console.log(`  target  ≤ 10 ms per tick (≥ 500,000 quotes/s): ${eMs <= 10 ? 'met' : 'not met'}`);
