/**
 * `npm run bench:kline`: latency and throughput of GET /api/market/kline (10 years of 600000.SH
 * daily bars) on the real server, next to a bare Fastify route answering the same bytes, measured
 * in the same run with the same load generator (autocannon, 10 connections, in this process; the
 * servers run in child processes). Loopback only; stops by itself.
 * Usage: npm run bench:kline [-- --seconds 10 --connections 10]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const here = import.meta.dirname;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } } });

function startServer(kind) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), path.join(here, 'kline/server.ts'), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, ...JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function load(target) {
  // Warm-up, then the measured run.
  await autocannon({ url: target.url, connections: Number(values.connections), duration: 2, headers: { authorization: `Bearer ${target.token}` } });
  return autocannon({ url: target.url, connections: Number(values.connections), duration: Number(values.seconds), headers: { authorization: `Bearer ${target.token}` } });
}

const results = {};
for (const kind of ['app', 'bare']) {
  const target = await startServer(kind);
  const r = await load(target);
  target.child.kill('SIGTERM');
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${kind}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  results[kind] = { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, bytes: target.bytes };
}
const { app, bare } = results;
console.log(`bench:kline — ${values.connections} connections × ${values.seconds} s, response ${(app.bytes / 1024).toFixed(0)} KB (10 years of daily bars)`);
console.log(`  kline endpoint   p50 ${app.p50.toFixed(2)} ms   p99 ${app.p99.toFixed(2)} ms   ${app.rps.toFixed(0)} req/s`);
console.log(`  bare Fastify     p50 ${bare.p50.toFixed(2)} ms   p99 ${bare.p99.toFixed(2)} ms   ${bare.rps.toFixed(0)} req/s`);
console.log(`  throughput ratio ${(app.rps / bare.rps).toFixed(2)}× bare (target ≥ 0.5); p99 target ≤ 5 ms`);
