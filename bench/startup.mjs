/**
 * Cold start of the embedded server: process start → listening (the moment `serve` prints its URL),
 * on a fresh data directory (migrations run) and on an existing one. Baseline, measured in the same
 * run: a bare node:http server process that listens on loopback and prints its URL.
 * Usage: npm run bench:startup [-- --runs 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);

const BARE = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () {
  console.log('Open: http://127.0.0.1:' + this.address().port + '/');
});`;

function timeToListen(args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Open: ')) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        child.once('exit', () => resolve(ms));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('Open: ')) reject(new Error(`exited ${code} before listening: ${out}`));
    });
  });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), min: s[0] };
};

const serve = path.join(root, 'out/main/serve.js');
const token = { MYSTOCKS_API_TOKEN: 'bench-token-0123456789abcdef' };
const bare = [];
const cold = [];
const warm = [];
const warmDir = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-warm-'));
await timeToListen([serve, '--data-dir', warmDir], token); // create it once
for (let i = 0; i < runs; i++) {
  // Interleaved so machine noise hits all three alike.
  bare.push(await timeToListen(['-e', BARE]));
  const coldDir = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-cold-'));
  cold.push(await timeToListen([serve, '--data-dir', coldDir], token));
  rmSync(coldDir, { recursive: true, force: true });
  warm.push(await timeToListen([serve, '--data-dir', warmDir], token));
}
rmSync(warmDir, { recursive: true, force: true });

const b = stats(bare);
const row = (name, xs) => {
  const s = stats(xs);
  return `${name.padEnd(34)} median ${s.median.toFixed(1).padStart(7)} ms   p90 ${s.p90.toFixed(1).padStart(7)} ms   ×bare ${(s.median / b.median).toFixed(2)}`;
};
console.log(`server cold start, process start → listening (${runs} runs each, node ${process.versions.node})`);
console.log(row('baseline: bare node:http process', bare));
console.log(row('serve, fresh data dir (migrations)', cold));
console.log(row('serve, existing data dir', warm));
