/**
 * `npm run bench:import`: import throughput, end to end (files on disk → rows committed in SQLite),
 * against a bare better-sqlite3 loop inserting the very same rows into the same schema, measured in
 * the same run on fresh databases.
 *
 *   TDX     the bundled TDX files (resources/sample-data/tdx: 5 files, 22,593 bars)
 *   TDX lc1 the same 239,550 czsc rows written here as one TDX 1-minute file (vipdoc/sh/minline/
 *           sh600000.lc1): TDX decoding over a file as large as the CSV
 *   CSV     czsc 000001.XSHG 1-minute bars, 239,550 rows (../shared/data/csv/czsc/000001.XSHG_1min.zip,
 *           unzipped here with node:zlib)
 *
 * 1. The import job (discover, read, decode, parse, one transaction per file) as the import worker
 *    runs it, in this process; the bare loop: one prepared single-row INSERT per row, one transaction.
 * 2. The real task path of the built app (`out/main/serve.js`, built by the npm script): POST the
 *    import, the worker runs it, wait for the final task state; includes starting the worker.
 *
 * Prints bars/s (median and best of --runs) and the ratio import ÷ bare (targets: TDX ≥ 500,000 bars/s,
 * ≥ 0.7× bare). Timing never fails anything: this only prints.
 * Usage: npm run bench:import [-- --runs 7 --skip-task]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { MarketRepository } from '../server/src/modules/market/repository.ts';
import { runImportJob } from '../server/src/modules/data/import-job.ts';
import { parseCsv } from '../server/src/engine/import/csv.ts';
import { parseTdxFile, tdxFileInfo } from '../server/src/engine/import/tdx-binary.ts';
import { discover } from '../server/src/modules/data/discover.ts';
import { unzipSingle } from './lib/zip.mjs';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(root, '../shared/data');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, 'skip-task': { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const tdxDir = path.join(root, 'resources/sample-data/tdx/vipdoc');
const zipFile = path.join(shared, 'csv/czsc/000001.XSHG_1min.zip');
const work = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-import-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const CSV = {
  symbol: '000001.SH',
  period: '1m',
  adjust: 'none',
  encoding: 'utf-8',
  mapping: { time: 2, open: 4, close: 5, high: 6, low: 7, volume: 8 },
  delimiter: ',',
  headerRows: 1,
  dateFormat: 'YYYY-MM-DD HH:mm:ss',
  volumeUnit: 'shares',
  amountUnit: 'yuan',
};


let dbCount = 0;
function freshDb() {
  const file = path.join(work, `bench-${dbCount++}.db`);
  return { db: openDatabase(file), file };
}
function dropDb({ db, file }) {
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** The import job, in process; returns bars/s. */
function jobRate(spec, expectBars) {
  const handle = freshDb();
  let bars = 0;
  let failed = 0;
  const t0 = performance.now();
  runImportJob(handle.db, spec, (m) => {
    if (m.type === 'file') {
      bars += m.result.inserted;
      if (m.result.status === 'failed') failed++;
    }
    if (m.type === 'fatal') throw new Error(m.message);
  });
  const ms = performance.now() - t0;
  dropDb(handle);
  if (failed || bars !== expectBars) throw new Error(`import wrote ${bars} bars (${failed} files failed), expected ${expectBars}`);
  return (bars / ms) * 1000;
}

/** The bare loop: the same rows, one prepared single-row INSERT each, one transaction per series. */
function bareRate(seriesList) {
  const handle = freshDb();
  const { db } = handle;
  const repo = new MarketRepository(db);
  const ids = seriesList.map((s, k) => repo.ensureSeries(repo.ensureInstrument(s.symbol ?? `60${String(k).padStart(4, '0')}.SH`), s.period, 'none'));
  const insert = db.prepare('INSERT INTO bars (series_id, ts, open, high, low, close, volume, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  const t0 = performance.now();
  seriesList.forEach((s, k) => {
    const id = ids[k];
    const { ts, open, high, low, close, volume, amount } = s.bars;
    db.transaction(() => {
      for (let i = 0; i < s.bars.length; i++) insert.run(id, ts[i], open[i], high[i], low[i], close[i], volume[i], amount[i]);
    })();
    n += s.bars.length;
  });
  const ms = performance.now() - t0;
  dropDb(handle);
  return (n / ms) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.max(...xs);
const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(11);
const line = (label, xs) => console.log(`  ${label.padEnd(44)} median ${fmt(median(xs))} bars/s   best ${fmt(best(xs))}`);

// ---- data ----
const csvPath = path.join(work, '000001.XSHG_1min.csv');
const entry = unzipSingle(zipFile);
writeFileSync(csvPath, entry.bytes);
const csvBars = parseCsv(entry.bytes.toString('utf8'), CSV).bars;
const tdxFiles = discover('tdx', tdxDir);
const tdxSeries = tdxFiles.map((f) => {
  const info = tdxFileInfo(path.basename(f.path));
  return { symbol: info.symbol, period: info.period, bars: parseTdxFile(readFileSync(f.path), info).bars };
});
const tdxBars = tdxSeries.reduce((n, s) => n + s.bars.length, 0);

/** The CSV's rows as a TDX .lc1 file (32-byte records, see ../shared/data/README.md). */
function writeLc1(bars, file) {
  const buf = Buffer.alloc(bars.length * 32);
  for (let i = 0, o = 0; i < bars.length; i++, o += 32) {
    const day = new Date(Math.floor(bars.ts[i] / 86_400) * 86_400_000);
    buf.writeUInt16LE(((day.getUTCFullYear() - 2004) << 11) + (day.getUTCMonth() + 1) * 100 + day.getUTCDate(), o);
    buf.writeUInt16LE(Math.round((bars.ts[i] % 86_400) / 60), o + 2);
    buf.writeFloatLE(bars.open[i], o + 4);
    buf.writeFloatLE(bars.high[i], o + 8);
    buf.writeFloatLE(bars.low[i], o + 12);
    buf.writeFloatLE(bars.close[i], o + 16);
    buf.writeFloatLE(bars.amount[i], o + 20);
    // An index trades more shares per minute than a u32 holds: lots keep it in range (volume is not measured here).
    buf.writeUInt32LE(Math.min(Math.round(bars.volume[i] / 100), 0xffffffff), o + 24);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, buf);
}
const lc1Dir = path.join(work, 'lc1/vipdoc');
const lc1File = path.join(lc1Dir, 'sh/minline/sh600000.lc1');
writeLc1(csvBars, lc1File);
const lc1Series = [{ symbol: '600000.SH', period: '1m', bars: parseTdxFile(readFileSync(lc1File), tdxFileInfo('sh600000.lc1')).bars }];
console.log(`bench:import — ${runs} runs, fresh database each; Node ${process.version}`);
console.log(`TDX: ${tdxFiles.length} files, ${tdxBars.toLocaleString('en-US')} bars (resources/sample-data/tdx)`);
console.log(`TDX lc1: the CSV's rows as sh600000.lc1, ${lc1Series[0].bars.length.toLocaleString('en-US')} bars (${((csvBars.length * 32) / 1e6).toFixed(1)} MB)`);
console.log(`CSV: ${entry.name}, ${csvBars.length.toLocaleString('en-US')} bars (${(entry.bytes.length / 1e6).toFixed(1)} MB)`);

// Warm-up (JIT, page cache), not counted.
jobRate({ sources: [{ kind: 'tdx', path: tdxDir }] }, tdxBars);
bareRate(tdxSeries);

const r = { tdxJob: [], tdxBare: [], tdxRatio: [], lc1Job: [], lc1Bare: [], lc1Ratio: [], csvJob: [], csvBare: [], csvRatio: [] };
for (let i = 0; i < runs; i++) {
  const tj = jobRate({ sources: [{ kind: 'tdx', path: tdxDir }] }, tdxBars);
  const tb = bareRate(tdxSeries);
  const lj = jobRate({ sources: [{ kind: 'tdx', path: lc1Dir }] }, lc1Series[0].bars.length);
  const lb = bareRate(lc1Series);
  const cj = jobRate({ sources: [{ kind: 'csv', path: csvPath, csv: CSV }] }, csvBars.length);
  const cb = bareRate([{ symbol: '000001.SH', period: '1m', bars: csvBars }]);
  r.tdxJob.push(tj);
  r.tdxBare.push(tb);
  r.tdxRatio.push(tj / tb);
  r.lc1Job.push(lj);
  r.lc1Bare.push(lb);
  r.lc1Ratio.push(lj / lb);
  r.csvJob.push(cj);
  r.csvBare.push(cb);
  r.csvRatio.push(cj / cb);
}

console.log('\n1. Import job in process (read + decode + parse + write + commit) vs bare insert loop');
line('TDX import (5 files)', r.tdxJob);
line('TDX bare loop, same rows', r.tdxBare);
console.log(`  TDX ratio import ÷ bare: median ${median(r.tdxRatio).toFixed(2)}×   (targets: ≥ 500,000 bars/s end to end, ≥ 0.70×)`);
line('TDX import (sh600000.lc1, 239,550 bars)', r.lc1Job);
line('TDX bare loop, same rows', r.lc1Bare);
console.log(`  TDX lc1 ratio import ÷ bare: median ${median(r.lc1Ratio).toFixed(2)}×   (targets: ≥ 500,000 bars/s end to end, ≥ 0.70×)`);
line('CSV import (239,550 rows)', r.csvJob);
line('CSV bare loop, same rows', r.csvBare);
console.log(`  CSV ratio import ÷ bare: median ${median(r.csvRatio).toFixed(2)}×   (target: ≥ 0.70×)`);

// ---- 2. the built app's task path ----
const serveJs = path.join(root, 'out/main/serve.js');
if (values['skip-task']) process.exit(0);
if (!existsSync(serveJs)) {
  console.log('\n2. Task path skipped: out/main/serve.js is missing (run `npx electron-vite build`).');
  process.exit(0);
}

const TOKEN = 'bench-import-token-0123456789abcdef';
async function serve(dataDir) {
  // A cache that already knows an instrument: the first-launch sample import stays out of the way.
  const seed = openDatabase(path.join(dataDir, 'mystocks.db'));
  new MarketRepository(seed).ensureInstrument('999999.SH', 'bench');
  seed.close();
  const child = spawn(process.execPath, [serveJs, '--data-dir', dataDir, '--port', '0', '--import-root', work, '--import-root', tdxDir], {
    env: { ...process.env, MYSTOCKS_API_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { origin, stop: () => new Promise((res) => (child.once('exit', res), child.kill('SIGTERM'))) };
}

async function taskRate(origin, url, body) {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const t0 = performance.now();
  const res = await fetch(`${origin}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const { data } = await res.json();
  if (!data?.id) throw new Error(`import refused: ${JSON.stringify(data)}`);
  for (;;) {
    const task = (await (await fetch(`${origin}/api/data/imports/${data.id}`, { headers })).json()).data;
    if (task.state === 'succeeded') {
      const wall = performance.now() - t0;
      const own = Date.parse(task.finishedAt) - Date.parse(task.createdAt);
      return { client: (task.barsInserted / wall) * 1000, task: (task.barsInserted / Math.max(1, own)) * 1000 };
    }
    if (task.state === 'failed') throw new Error(`import failed: ${JSON.stringify(task.error)}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 5));
  }
}

const t = { tdxClient: [], tdxTask: [], lc1Client: [], lc1Task: [], csvClient: [], csvTask: [] };
const taskRuns = Math.max(3, Math.ceil(runs / 2));
for (let i = 0; i < taskRuns; i++) {
  const dir = mkdtempSync(path.join(work, 'serve-'));
  const app = await serve(dir);
  try {
    const a = await taskRate(app.origin, '/api/data/import/tdx', { path: tdxDir });
    const l = await taskRate(app.origin, '/api/data/import/tdx', { path: lc1Dir });
    const b = await taskRate(app.origin, '/api/data/import/csv', { path: csvPath, ...CSV });
    t.tdxClient.push(a.client);
    t.tdxTask.push(a.task);
    t.lc1Client.push(l.client);
    t.lc1Task.push(l.task);
    t.csvClient.push(b.client);
    t.csvTask.push(b.task);
  } finally {
    await app.stop();
  }
}
console.log(`\n2. Task path of the built app (out/main/serve.js: POST → worker → final state), ${taskRuns} fresh data dirs`);
line('TDX task, as the client sees it', t.tdxClient);
line('TDX task, createdAt → finishedAt', t.tdxTask);
line('TDX lc1 task, as the client sees it', t.lc1Client);
line('TDX lc1 task, createdAt → finishedAt', t.lc1Task);
line('CSV task, as the client sees it', t.csvClient);
line('CSV task, createdAt → finishedAt', t.csvTask);
console.log(`  TDX lc1 task ÷ bare loop (medians): ${(median(t.lc1Client) / median(r.lc1Bare)).toFixed(2)}× (includes starting the worker and polling every 5 ms)`);
console.log(`  CSV task ÷ bare loop (medians): ${(median(t.csvClient) / median(r.csvBare)).toFixed(2)}× (includes starting the worker and polling every 5 ms)`);
