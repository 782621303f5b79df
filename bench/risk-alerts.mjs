/**
 * `npm run bench:risk` (second part): alert latency end to end through the built app
 * (`out/main/serve.js` on a temporary data dir), against the physical floor measured side by side.
 *
 *   app      1,000 price-cross rules created through POST /api/risk/rules over 50 cached symbols
 *            (600000–600049.SH, daily bars seeded into the cache before the server starts): one
 *            rule on 600000.SH (level 11, either direction, `every` without cooldown) whose bars
 *            alternate 10 / 12, so every step after the first crosses it; 999 on the other 49
 *            symbols at levels their flat bars never reach (evaluated on every quote, silent). A
 *            paused replay of the 50 symbols; each sample is POST /api/replay/control {step} →
 *            the step publishes its 50 quotes on the `quotes` topic synchronously → the market
 *            rule book → AlertService.raise (stored in SQLite, then published) → the hub → the
 *            `alert` frame read from GET /api/stream/alerts with fetch. The contract has no
 *            server-side ingestion timestamp, so the time is the client's: from sending the POST
 *            to receiving that frame.
 *   floor    a bare node:http server in its own process: a POST answered by writing one SSE
 *            frame to the open stream (and then the POST's response) — one HTTP request plus one
 *            SSE frame on loopback, the same fetch client.
 *
 * Samples alternate app and floor; the first 10 of each are warm-up. Reports p50/p99/max over
 * ≥ 200 alerts each, and the target (p99 ≤ 50 ms). Timing never fails anything.
 * Usage: node --import tsx bench/risk-alerts.mjs [--days 260]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { MarketRepository } from '../server/src/modules/market/repository.ts';
import { allocateSeries, setBar, sliceSeries } from '../server/src/engine/bars/series.ts';
import { parseTimeString } from '../server/src/engine/bars/time.ts';
import { apiClient, serveApp } from './lib/serve.mjs';

const root = path.resolve(import.meta.dirname, '..');
const serveJs = path.join(root, 'out/main/serve.js');
const { values } = parseArgs({ options: { days: { type: 'string', default: '260' } } });
const DAYS = Number(values.days);
const SYMBOLS = Array.from({ length: 50 }, (_, i) => `${600000 + i}.SH`);
const TRIGGER = SYMBOLS[0];
const RULES = 1000;
const WARMUP = 10;

if (!existsSync(serveJs)) {
  console.log('bench:risk (alerts) skipped: out/main/serve.js is missing (run `npx electron-vite build`)');
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-risk-alerts-'));
const dataDir = path.join(work, 'data');
mkdirSync(dataDir);
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const TOKEN = 'bench-risk-alerts-token-0123456789abcdef';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

// ---- the cache: DAYS weekdays from 2024-01-02 of daily bars per symbol -------------------------
const dates = [];
for (let t = Date.UTC(2024, 0, 2); dates.length < DAYS; t += 86_400_000) {
  const d = new Date(t);
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
}
{
  const db = openDatabase(path.join(dataDir, 'mystocks.db'));
  const market = new MarketRepository(db);
  for (const symbol of SYMBOLS) {
    const out = allocateSeries(dates.length);
    dates.forEach((date, i) => {
      // The trigger symbol alternates 10 / 12 (crossing 11 on every step after the first); the others stay at 10.
      const close = symbol === TRIGGER && i % 2 === 1 ? 12 : 10;
      setBar(out, i, parseTimeString(date), close, close, close, close, 100_000, 100_000 * close);
    });
    market.writeBars(market.ensureSeries(market.ensureInstrument(symbol, `bench ${symbol.slice(0, 6)}`), 'day', 'none'), sliceSeries(out, 0, dates.length), 'bench');
  }
  db.close();
}

// ---- the app ------------------------------------------------------------------------------------
const { origin, stop } = await serveApp({ serveJs, dataDir, token: TOKEN });

// ---- the floor: a bare node:http SSE server in its own process ----------------------------------
const FLOOR_SOURCE = `
import { createServer } from 'node:http';
const streams = new Set();
let n = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': open\\n\\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    n += 1;
    const frame = 'id: ' + n + '\\nevent: alert\\ndata: ' + JSON.stringify({ id: String(n), ruleId: 'floor', symbol: '600000.SH', severity: 'warning', message: 'floor' }) + '\\n\\n';
    for (const s of streams) s.write(frame);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 0, data: { n } }));
  });
});
server.listen(0, '127.0.0.1', () => console.log('Open: http://127.0.0.1:' + server.address().port));
`;
const floorChild = spawn(process.execPath, ['--input-type=module', '-e', FLOOR_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
const floorOrigin = await new Promise((resolve, reject) => {
  let out = '';
  floorChild.stdout.on('data', (c) => {
    out += c;
    const m = /Open: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) resolve(m[1]);
  });
  floorChild.once('exit', (code) => reject(new Error(`floor server exited ${code}: ${out}`)));
});
process.on('exit', () => floorChild.kill('SIGKILL'));

const { api } = apiClient(origin, TOKEN);

/** An SSE stream read with fetch: `next(match)` resolves with { data, at } for the next matching `alert` frame. */
async function alertStream(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const queue = [];
  let waiter;
  let text = '';
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = performance.now();
      text += decoder.decode(value, { stream: true });
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const frame = text.slice(0, end);
        text = text.slice(end + 2);
        if (/^event: (.*)$/m.exec(frame)?.[1] !== 'alert') continue;
        const data = JSON.parse(/^data: (.*)$/m.exec(frame)[1]);
        queue.push({ data, at });
      }
      if (waiter && queue.length > 0) waiter();
    }
  })().catch(() => undefined);
  return {
    async next(match) {
      for (;;) {
        const i = queue.findIndex((e) => match(e.data));
        if (i >= 0) return queue.splice(0, i + 1).at(-1);
        await new Promise((r) => (waiter = r));
        waiter = undefined;
      }
    },
    close: () => reader.cancel().catch(() => undefined),
  };
}

// ---- rules and the replay -----------------------------------------------------------------------
let t0 = performance.now();
const trigger = await api('POST', '/api/risk/rules', {
  name: 'bench trigger',
  condition: { kind: 'price-cross', level: 11, direction: 'either' },
  scope: { type: 'symbol', symbol: TRIGGER },
  frequency: { mode: 'every', cooldownSeconds: 0 },
});
for (let i = 1; i < RULES; i++) {
  const symbol = SYMBOLS[1 + (i % (SYMBOLS.length - 1))];
  await api('POST', '/api/risk/rules', {
    name: `bench ${i}`,
    condition: { kind: 'price-cross', level: 20 + (i % 97) / 10, direction: i % 2 ? 'up' : 'either' },
    scope: { type: 'symbol', symbol },
    frequency: { mode: 'every', cooldownSeconds: 0 },
  });
}
const createMs = performance.now() - t0;

const appStream = await alertStream(`${origin}/api/stream/alerts`, { headers: { authorization: headers.authorization } });
const floorStream = await alertStream(`${floorOrigin}/stream`, {});
await api('POST', '/api/replay/start', { symbols: SYMBOLS, start: dates[0], speed: 'max', paused: true });

const app = [];
const floor = [];
for (let step = 0; step < dates.length; step++) {
  // The app: POST step → quotes → rules → alert → SSE.
  t0 = performance.now();
  const answered = api('POST', '/api/replay/control', { action: 'step' });
  if (step > 0) {
    const { at } = await appStream.next((a) => a.ruleId === trigger.id);
    app.push(at - t0);
  }
  await answered;
  // The floor: POST → one SSE frame.
  t0 = performance.now();
  const floorAnswered = fetch(`${floorOrigin}/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step }) }).then((r) => r.json());
  const { at } = await floorStream.next(() => true);
  floor.push(at - t0);
  await floorAnswered;
}
await appStream.close();
await floorStream.close();
const alerts = await api('GET', '/api/alerts?pageSize=1');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const row = (label, xs) => {
  const timed = xs.slice(WARMUP);
  return `  ${label.padEnd(7)} n=${String(timed.length).padStart(4)}  p50 ${quantile(timed, 0.5).toFixed(2).padStart(6)} ms  p99 ${quantile(timed, 0.99).toFixed(2).padStart(6)} ms  max ${Math.max(...timed).toFixed(2).padStart(6)} ms`;
};
const appP99 = quantile(app.slice(WARMUP), 0.99);
console.log(`\nbench:risk (alerts) — quote ingestion (POST replay step) → alert frame on /api/stream/alerts, built app on loopback`);
console.log(`  ${RULES} price-cross rules over ${SYMBOLS.length} symbols (created through the API in ${(createMs / 1000).toFixed(1)} s), ${dates.length} replay steps of ${SYMBOLS.length} quotes, ${alerts.pagination?.total ?? '?'} alerts stored`);
console.log(row('app', app));
console.log(row('floor', floor));
console.log(`  app − floor p50 ${(quantile(app.slice(WARMUP), 0.5) - quantile(floor.slice(WARMUP), 0.5)).toFixed(2)} ms; target p99 ≤ 50 ms: ${appP99 <= 50 ? 'met' : 'NOT met'} (timing never fails anything)`);
floorChild.kill('SIGTERM');
await stop();
process.exit(0);
