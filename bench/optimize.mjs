/**
 * `npm run bench:optimize`: parameter optimization through the built app (`out/main/serve.js`).
 *
 *   parallel  a 100-combination grid of dual MA (fast 3–12 × slow 20–65 step 5) on the 37 stocks of
 *             ../shared/data/csv/ashare-daily-qfq as one portfolio, 2020-01..2025-09: the wall time
 *             from POST /api/optimize/run to `optimizationComplete` on its stream with `threads: 1`, then with all the
 *             machine's cores, same server, same cache. Target: ≥ 1.7× on 2 cores.
 *   floor     the physical floor of that ratio on this machine: the same 100 trials (the trial
 *             function, modules/optimize/trial.ts) on the same bars, in 1 and then in all bare
 *             worker threads started and warmed by a first pass, with nothing around them (no
 *             coordinator, storing, task platform or statistics) — what the trial work itself allows.
 *   redis     distributed overhead: the same grid on two BullMQ worker processes (`out/main/worker.js
 *             --concurrency 1` each, what `npm run worker` starts) over a redis-server on loopback,
 *             against the local pool with the same concurrency (2 threads), same server, runs
 *             alternated after a warm-up of each (the workers have fetched the dataset and warmed
 *             their JIT). Target: ≤ 15 % overhead. A reference beside it: one job a trial of the
 *             same CPU (a trial's time on the local pool) on two bare BullMQ workers against two bare
 *             threads (lib/bullmq-floor.mjs), what BullMQ and a loopback Redis cost by themselves when
 *             every trial is a job (the app hands trials over in batches: modules/optimize/dispatch.ts).
 *             Skipped with a reason without redis-server.
 *   memory    the server process's peak RSS (VmHWM: the main thread, the coordinator and the trial
 *             threads are all in it) for a 1,000-trial and a 10,000-trial grid of dual MA on one
 *             stock (600000.SH of the bundled sample), each on a fresh server. Target: the 10,000-
 *             trial peak within 10 % of the 1,000-trial one (results stream into SQLite; nothing
 *             grows with the trial count but the coordinator's per-trial statistics).
 *
 * Both sides of each ratio run in this one invocation, alternated; a ratio is the median of the
 * pairs' ratios (this VM's noise comes in bursts that hit a pair, not a side). Timing never fails anything.
 * Usage: node --import tsx bench/optimize.mjs [--runs 3] [--skip-parallel] [--skip-redis] [--skip-memory]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { MarketRepository } from '../server/src/modules/market/repository.ts';
import { KlineService } from '../server/src/modules/market/kline-service.ts';
import { loadBars } from '../server/src/modules/backtest/job.ts';
import { optimizationConfig, spaceOf, trialConfig } from '../server/src/modules/optimize/config.ts';
import { packDataset } from '../server/src/modules/optimize/dataset.ts';
import { choosePartitions } from '../server/src/engine/optimize/overfitting.ts';
import { gridTrials } from '../server/src/engine/optimize/search.ts';
import { skipWithoutRedis, startRedis } from '../tests/helpers/redis.ts';
import { startWorker } from '../tests/e2e/serve.ts';
import { bullmqFloor } from './lib/bullmq-floor.mjs';
import { importQfq } from './lib/qfq.mjs';
import { apiClient, serveApp } from './lib/serve.mjs';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(root, '../shared/data');
const qfqDir = path.join(shared, 'csv/ashare-daily-qfq');
const serveJs = path.join(root, 'out/main/serve.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'skip-memory': { type: 'boolean', default: false }, 'skip-parallel': { type: 'boolean', default: false }, 'skip-redis': { type: 'boolean', default: false } } });
const runs = Number(values.runs);

if (!existsSync(serveJs)) {
  console.log('bench:optimize skipped: out/main/serve.js is missing (run `npx electron-vite build`)');
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-optimize-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const TOKEN = 'bench-optimize-token-0123456789abcdef';
const step = (text) => process.stderr.write(`  … ${text}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The median of the ratios a[i] / b[i] of runs made side by side: a burst of noise on this shared VM hits both runs of a pair, not one side of the medians. */
const pairedRatio = (a, b) => median(a.map((x, i) => x / b[i]));
/** The lowest and highest of those pairs' ratios (as % over 1 when `percent`): how noisy the runs were. */
const pairRange = (a, b, percent = false) => {
  const r = a.map((x, i) => x / b[i]);
  const f = (v) => (percent ? `${((v - 1) * 100).toFixed(1)} %` : `×${v.toFixed(2)}`);
  return `pairs ${f(Math.min(...r))} to ${f(Math.max(...r))}`;
};

/** A fresh server on its own data directory. */
async function freshServer(name) {
  const dataDir = path.join(work, name);
  mkdirSync(dataDir);
  const app = await serveApp({ serveJs, dataDir, token: TOKEN, importRoots: [shared] });
  return { ...app, ...apiClient(app.origin, TOKEN) };
}

/**
 * Runs an optimization to its end, followed on its event stream as the Optimize page follows it;
 * answers the wall time (ms) from the POST to the stream's `optimizationComplete`, and the task.
 */
async function optimize(server, request) {
  const t0 = performance.now();
  const task = await server.api('POST', '/api/optimize/run', request);
  const end = await server.terminalEvent(`/api/stream/optimize/${task.id}`, 'optimizationProgress');
  const ms = end.at - t0;
  if (end.event !== 'optimizationComplete') throw new Error(`optimization ended with ${end.event}: ${JSON.stringify(end.data)}`);
  return { ms, task: await server.api('GET', `/api/tasks/${task.id}`) };
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

const cores = availableParallelism();
const rows = [];

// ---- parallel: 1 thread against all cores ----------------------------------------------------
if (values['skip-parallel']) {
  // measured on request only
} else if (existsSync(qfqDir)) {
  const server = await freshServer('parallel');
  step('importing the 37 stocks');
  const symbols = await importQfq(qfqDir, server.api, server.waitTask);
  const grid = {
    strategy: 'dual-ma',
    symbols,
    start: '2020-01-01',
    end: '2025-09-30',
    benchmark: '',
    ranges: { fast: { min: 3, max: 12, step: 1 }, slow: { min: 20, max: 65, step: 5 } },
  };
  step('a warm-up run (threads started, bars in the series cache)');
  await optimize(server, { ...grid, threads: cores });
  const one = [];
  const all = [];
  for (let i = 0; i < runs; i++) {
    step(`run ${i + 1}/${runs}: 1 thread, then ${cores}`);
    one.push((await optimize(server, { ...grid, threads: 1 })).ms);
    all.push((await optimize(server, { ...grid, threads: cores })).ms);
  }
  const trials = (await optimize(server, { ...grid, threads: cores })).task.summary.trialsTotal;
  rows.push(['grid of 100, 37 stocks, 1 thread', `${median(one).toFixed(0)} ms`, `${trials} trials`]);
  rows.push([`same grid, ${cores} threads`, `${median(all).toFixed(0)} ms`, `speedup ×${pairedRatio(one, all).toFixed(2)} (target ≥ 1.7 on 2 cores; ${pairRange(one, all)})`]);

  // ---- redis: two worker processes against the local pool, same concurrency ------------------
  if (values['skip-redis'] || skipWithoutRedis('bench:optimize redis')) {
    rows.push(['redis workers', 'skipped', values['skip-redis'] ? '--skip-redis' : 'redis-server is not installed']);
  } else {
    const redis = await startRedis();
    const workers = [1, 2].map((k) => startWorker(redis.url, ['--concurrency', '1', '--name', `bench-${k}`]));
    try {
      await Promise.all(workers.map((w) => w.ready));
      await server.api('PATCH', '/api/system/settings', { distributed: { enabled: true, redisUrl: redis.url } });
      const local = { ...grid, executor: 'local', threads: 2 };
      const remote = { ...grid, executor: 'redis' };
      step('redis: a warm-up run on the workers (dataset shipped, JIT warm)');
      const first = await optimize(server, remote);
      const localMs = [];
      const redisMs = [];
      for (let i = 0; i < runs; i++) {
        step(`redis run ${i + 1}/${runs}: local pool (2 threads), then the 2 workers`);
        localMs.push((await optimize(server, local)).ms);
        redisMs.push((await optimize(server, remote)).ms);
      }
      // Same trials, same results: the board's head must not depend on where the trials ran.
      const best = async (task) => (await server.api('GET', `/api/optimize/${task.summary.optimizationId}`)).leaderboard[0];
      const [a, b] = [await best(first.task), await best((await optimize(server, local)).task)];
      if (a.index !== b.index || a.objective !== b.objective) throw new Error(`the workers' best trial ${a.index} (${a.objective}) differs from the local pool's ${b.index} (${b.objective})`);
      rows.push(['same grid, local pool of 2 threads', `${median(localMs).toFixed(0)} ms`, 'executor local']);
      const overhead = pairedRatio(redisMs, localMs) - 1;
      rows.push(['same grid, 2 redis workers × 1', `${median(redisMs).toFixed(0)} ms`, `overhead ${(overhead * 100).toFixed(1)} % (target ≤ 15 %; ${pairRange(redisMs, localMs, true)}); best trial ${a.index} on both`]);
      // A reference: one job a trial, of a trial's CPU, on bare BullMQ workers against bare threads —
      // what BullMQ and a loopback Redis cost by themselves when each trial is a job. The app hands
      // trials over in batches (dispatch.ts), so it can do better than this.
      step('redis reference: bare BullMQ workers against bare threads, one job a trial');
      const workMs = median(localMs) * 2 / trials; // a trial's CPU on one thread of the local pool
      const f = await bullmqFloor({ redisUrl: redis.url, jobs: trials, workMs, runs });
      const floorOverhead = pairedRatio(f.remoteMs, f.localMs) - 1;
      rows.push([`bare: ${trials} jobs × ${workMs.toFixed(1)} ms, 2 threads`, `${median(f.localMs).toFixed(0)} ms`, 'busy CPU, nothing else']);
      rows.push(['bare: same jobs, 2 BullMQ workers', `${median(f.remoteMs).toFixed(0)} ms`, `overhead ${(floorOverhead * 100).toFixed(1)} %: BullMQ and loopback Redis with one job a trial; the app (batches) ${(overhead * 100).toFixed(1)} %`]);
      await server.api('PATCH', '/api/system/settings', { distributed: { enabled: false, redisUrl: redis.url } });
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await redis.stop();
    }
  }
  await server.stop();

  // The floor: the same trials on the same bars, the server stopped (its cache file read here).
  step('floor: the trial function in bare threads');
  const db = openDatabase(path.join(work, 'parallel', 'mystocks.db'));
  const market = new MarketRepository(db);
  const config = optimizationConfig(grid);
  const space = spaceOf(config);
  const list = [...gridTrials(space)].map((t) => ({ index: t.index, params: t.params }));
  const dataset = packDataset(loadBars(trialConfig(config, list[0].params), new KlineService(market), market));
  const partitions = choosePartitions(list.length);
  db.close();
  const floorRun = async (threads) => {
    const workers = Array.from({ length: threads }, (_, k) => new Worker(path.join(import.meta.dirname, 'lib/trial-floor-worker.mjs'), {
      workerData: { dataset, config, partitions, trials: list.filter((_, i) => i % threads === k) },
    }));
    const pass = () => Promise.all(workers.map((w) => new Promise((res) => (w.once('message', res), w.postMessage('go')))));
    await Promise.all(workers.map((w) => new Promise((res) => w.once('message', res)))); // started, bars unpacked
    await pass(); // warm, as the app's kept pool is
    const t0 = performance.now();
    await pass();
    const ms = performance.now() - t0;
    await Promise.all(workers.map((w) => w.terminate()));
    return ms;
  };
  const floorOne = [];
  const floorAll = [];
  for (let i = 0; i < runs; i++) {
    floorOne.push(await floorRun(1));
    floorAll.push(await floorRun(cores));
  }
  const floorRatio = pairedRatio(floorOne, floorAll);
  rows.push(['floor: the 100 trials, 1 bare thread', `${median(floorOne).toFixed(0)} ms`, 'no coordinator, storing or statistics']);
  rows.push([`floor: ${cores} bare threads`, `${median(floorAll).toFixed(0)} ms`, `×${floorRatio.toFixed(2)}; the app reaches ${((pairedRatio(one, all) / floorRatio) * 100).toFixed(0)} % of it`]);
} else {
  rows.push(['parallel', 'skipped', `${qfqDir} is missing`]);
}

// ---- memory: 1,000 against 10,000 trials, each on a fresh server -------------------------------
if (!values['skip-memory']) {
  const peaks = {};
  for (const [label, slowMax] of [
    ['1,000', 74],
    ['10,000', 299],
  ]) {
    const server = await freshServer(`memory-${label.replace(',', '')}`);
    step(`memory: waiting for the bundled sample, then a ${label}-trial grid`);
    for (;;) {
      const res = await fetch(`${server.origin}/api/market/kline?symbol=600000.SH&period=day&limit=1`, { headers: server.headers });
      if (res.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { ms, task } = await optimize(server, {
      strategy: 'dual-ma',
      symbols: ['600000.SH'],
      start: '2015-01-01',
      end: '2025-08-05',
      benchmark: '',
      // 40 fast values × 25 or 250 slow values, every one valid (fast < slow).
      ranges: { fast: { min: 2, max: 41, step: 1 }, slow: { min: 50, max: slowMax, step: 1 } },
      topN: 20,
    });
    peaks[label] = peakRssMb(server.pid);
    rows.push([`${task.summary.trialsTotal} trials, 1 stock`, `${(ms / 1000).toFixed(1)} s`, `peak RSS ${peaks[label].toFixed(0)} MB`]);
    await server.stop();
  }
  rows.push(['peak RSS, 10,000 / 1,000 trials', `×${(peaks['10,000'] / peaks['1,000']).toFixed(3)}`, 'target ≤ 1.10']);
}

console.log(`\nbench:optimize (${cores} cores; times: medians of ${runs}; ratios: the median of the ${runs} side-by-side pairs' ratios)`);
for (const [what, value, note] of rows) console.log(`  ${what.padEnd(36)} ${String(value).padStart(10)}   ${note}`);
