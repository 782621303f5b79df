/**
 * `npm run bench:backtest` (second part): backtests end to end through the built app
 * (`out/main/serve.js`), against the same job run in this process on the same cache file.
 *
 *   e2e      POST /api/backtest/run → the task queued, run in the worker pool's read lane (loading
 *            the bars from SQLite, the engine, the metrics, the document), the result stored, and
 *            the `complete` event read from GET /api/stream/backtest/{taskId}
 *   job      the worker's job itself (modules/backtest/job.ts), in this process, on the same
 *            cache file: loading, engine, metrics, document — no HTTP, no task, no thread, no SSE.
 *            Like the worker thread it keeps one K-line service, so runs after the first read
 *            their bars from its series cache (both sides print the first, cold run apart)
 *   cancel   a 2,400,000-bar minute run (4 synthetic series), cancelled once running: the time from
 *            POST /api/tasks/{id}/cancel to its `error` (cancelled) event
 *
 * Data: the 37 stocks of ../shared/data/csv/ashare-daily-qfq (2020-01..2025-09) as one portfolio,
 * dual MA 5/20, benchmark 000001.SH (the bundled sample's TDX file). Target: e2e < 1 s.
 * Prints medians of --runs; timing never fails anything.
 * Usage: node --import tsx bench/backtest-api.mjs [--runs 5]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { MarketRepository } from '../server/src/modules/market/repository.ts';
import { KlineService } from '../server/src/modules/market/kline-service.ts';
import { backtestConfig } from '../server/src/modules/backtest/config.ts';
import { runBacktestJob } from '../server/src/modules/backtest/job.ts';
import { NEVER_CANCELLED } from '../server/src/platform/tasks/worker.ts';
import { writeSyntheticLc1 } from '../tests/helpers/synthetic-tdx.ts';
import { importQfq } from './lib/qfq.mjs';
import { apiClient, serveApp } from './lib/serve.mjs';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(root, '../shared/data');
const qfqDir = path.join(shared, 'csv/ashare-daily-qfq');
const sampleTdx = path.join(root, 'resources/sample-data/tdx/vipdoc');
const serveJs = path.join(root, 'out/main/serve.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

if (!existsSync(qfqDir)) {
  console.log(`bench:backtest (API) skipped: ${qfqDir} is missing`);
  process.exit(0);
}
if (!existsSync(serveJs)) {
  console.log('bench:backtest (API) skipped: out/main/serve.js is missing (run `npx electron-vite build`)');
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-backtest-api-'));
const dataDir = path.join(work, 'data');
mkdirSync(dataDir);
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const TOKEN = 'bench-backtest-token-0123456789abcdef';

// A cache that already knows an instrument: the first-launch sample import stays out of the way.
{
  const seed = openDatabase(path.join(dataDir, 'mystocks.db'));
  new MarketRepository(seed).ensureInstrument('999999.SH', 'bench');
  seed.close();
}
const { origin, stop } = await serveApp({ serveJs, dataDir, token: TOKEN, importRoots: [shared, sampleTdx, work] });

const { api, waitTask, terminalEvent: streamEnd } = apiClient(origin, TOKEN);
/** A backtest's terminal event (complete or error) from its stream. */
const terminalEvent = (taskId, onProgress) => streamEnd(`/api/stream/backtest/${taskId}`, 'progress', onProgress);

const step = (text) => process.stderr.write(`  … ${text}\n`);
step('importing the 37 stocks, the sample and the minute series');
// ---- data: the 37 stocks, the benchmark, and 4 synthetic minute series for the cancel run ----
const symbols = await importQfq(qfqDir, api, waitTask);
if ((await waitTask((await api('POST', '/api/data/import/tdx', { path: sampleTdx })).id)).state !== 'succeeded') throw new Error('sample import failed');
const minuteDir = path.join(work, 'vipdoc/sh/minline');
mkdirSync(minuteDir, { recursive: true });
const minuteSymbols = ['600100', '600101', '600102', '600103'];
minuteSymbols.forEach((code, i) => writeSyntheticLc1(path.join(minuteDir, `sh${code}.lc1`), 2500, 1000 + i));
if ((await waitTask((await api('POST', '/api/data/import/tdx', { path: path.join(work, 'vipdoc') })).id)).state !== 'succeeded') throw new Error('minute import failed');

const request = { strategy: 'dual-ma', params: { fast: 5, slow: 20 }, symbols, start: '2020-01-01', end: '2025-09-30', benchmark: '000001.SH' };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

step('e2e runs');
// ---- e2e through the API ----
async function e2eOnce() {
  const t0 = performance.now();
  const task = await api('POST', '/api/backtest/run', request);
  const end = await terminalEvent(task.id);
  if (end.event !== 'complete') throw new Error(`run ended with ${end.event}: ${JSON.stringify(end.data)}`);
  return { ms: end.at - t0, resultId: end.data.resultId };
}
const first = await e2eOnce();
const e2e = [];
for (let i = 0; i < runs; i++) e2e.push((await e2eOnce()).ms);
const result = await api('GET', `/api/backtest/results/${first.resultId}`);
const bars = result.document.barsProcessed;

step('in-process runs');
// ---- the same job in this process, on the same cache file ----
const db = openDatabase(path.join(dataDir, 'mystocks.db'));
const market = new MarketRepository(db);
const config = backtestConfig(request);
// Like the worker thread: one K-line service (and its series cache) for every run.
const klines = new KlineService(market);
function jobOnce() {
  const t0 = performance.now();
  let doc = '';
  runBacktestJob(config, { klines, market, signal: NEVER_CANCELLED, post: (m) => m.type === 'result' && (doc = m.document) });
  const ms = performance.now() - t0;
  if (JSON.parse(doc).fingerprint !== result.document.fingerprint) throw new Error('the in-process job read other bars');
  return ms;
}
const jobFirst = jobOnce();
const job = [];
for (let i = 0; i < runs; i++) job.push(jobOnce());
db.close();

step('cancel runs');
// ---- cancel latency on a long minute run ----
const cancel = [];
for (let i = 0; i < runs; i++) {
  const task = await api('POST', '/api/backtest/run', { strategy: 'dual-ma', symbols: minuteSymbols.map((c) => `${c}.SH`), period: '1m', start: '2005-01-01', end: '2016-12-31', benchmark: '' });
  let asked = null;
  const end = await terminalEvent(task.id, (p) => {
    if (asked === null && p.phase === 'running' && p.progress > 10) {
      asked = performance.now();
      void api('POST', `/api/tasks/${task.id}/cancel`);
    }
  });
  if (end.event !== 'error' || end.data.state !== 'cancelled' || asked === null) {
    console.log(`  (cancel run ${i + 1}: ended ${end.event} ${end.data.state ?? ''} before it could be cancelled)`);
    continue;
  }
  cancel.push(end.at - asked);
}
await stop();

console.log(`bench:backtest (API) — ${runs} runs; Node ${process.version}`);
console.log(`37 stocks × ${result.document.series.dates.length} days, dual MA 5/20 vs 000001.SH: ${bars.toLocaleString('en-US')} bars, ${result.document.fills.length} fills`);
console.log(`  e2e POST → complete event        first (cold cache) ${first.ms.toFixed(0).padStart(5)} ms   median ${median(e2e).toFixed(0).padStart(5)} ms   (target < 1,000 ms)`);
console.log(`  same job in process (baseline)   first (cold cache) ${jobFirst.toFixed(0).padStart(5)} ms   median ${median(job).toFixed(0).padStart(5)} ms`);
console.log(`  platform overhead (task, thread, result write, HTTP, SSE): median ${(median(e2e) - median(job)).toFixed(0)} ms, e2e ÷ job ${(median(e2e) / median(job)).toFixed(2)}×`);
if (cancel.length) console.log(`  cancel → cancelled event (2,400,000-bar minute run): median ${median(cancel).toFixed(0)} ms, max ${Math.max(...cancel).toFixed(0)} ms   (target ≤ 200 ms)`);
