/**
 * `npm run bench:sse`: the SSE hub against a minimal node:http SSE server, measured in the same run
 * with the same client processes. For 100 and 10,000 clients: time to connect them all and each
 * connect's p50/p99, server RSS per idle connection, and p50/p99 delay of one event broadcast to
 * all clients (publish → arrival, over several broadcasts). Clients run in separate processes
 * (≤ 5,000 sockets each), all traffic stays on 127.0.0.1, and the script stops by itself.
 *
 * When a C compiler is installed, a third server is measured the same way: `floor`, a minimal C
 * epoll broadcaster (bench/sse/floor-server.c). It shows what this machine's TCP stack allows,
 * whatever the server is written in; on a small VM most of a 10,000-client broadcast is spent in
 * the kernel delivering 10,000 packets, not in the server.
 * Usage: npm run bench:sse [-- --clients 100,10000 --broadcasts 20 --no-floor]
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100,10000' },
    broadcasts: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '10' },
    'no-floor': { type: 'boolean', default: false },
  },
});
const sizes = values.clients.split(',').map(Number);
const broadcasts = Number(values.broadcasts);
// Two client processes at most (5,000 sockets each, under the 20,000 open-file limit): fewer
// processes competing with the server for this machine's cores.
const PER_PROCESS = Number(process.env.BENCH_PER_PROCESS ?? 5_000);
const WARMUP = 20;
const deadline = setTimeout(() => {
  console.error('bench:sse took longer than 10 minutes; stopping');
  process.exit(2);
}, 10 * 60_000).unref();

function request(child, msg, key) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m.error) reject(new Error(m.error));
      else if (key in m) {
        child.off('message', onMessage);
        resolve(m);
      }
    };
    child.on('message', onMessage);
    if (msg) child.send(msg);
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/** The C floor server, compiled once per run; undefined without a C compiler. */
function buildFloor() {
  if (values['no-floor']) return undefined;
  const out = path.join(tmpdir(), `mystocks-sse-floor-${process.pid}`);
  try {
    execFileSync('cc', ['-O2', '-o', out, path.join(here, 'sse/floor-server.c')], { stdio: 'ignore' });
    return out;
  } catch {
    return undefined;
  }
}
const floorBinary = buildFloor();

/** Server process behind one interface: the Node ones over IPC, the C floor over stdin/stdout lines. */
async function startServer(kind) {
  if (kind === 'floor') {
    const child = spawn(floorBinary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const answer = async (command) => {
      child.stdin.write(`${command}\n`);
      return Number((await lines.next()).value.split(' ')[1]);
    };
    const port = Number((await lines.next()).value.split(' ')[1]);
    const vmRss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
    return {
      port,
      token: '',
      rss: async () => ({ rss: vmRss(), connections: await answer('c') }),
      publish: async () => answer('p'),
      close: async () => {
        child.stdin.write('q\n');
        await new Promise((r) => child.once('exit', r));
      },
    };
  }
  const child = fork(path.join(here, 'sse/server.ts'), [kind], { execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [])], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port, token } = await request(child, null, 'ready');
  return {
    port,
    token,
    rss: () => request(child, { cmd: 'rss' }, 'rss'),
    publish: async (seq) => (await request(child, { cmd: 'publish', seq }, 'published')).publishMs,
    close: () => request(child, { cmd: 'close' }, 'closed'),
  };
}

async function measure(kind, clients) {
  const server = await startServer(kind);
  const { port, token } = server;
  const streamPath = kind === 'hub' ? '/api/stream/logs' : '/stream';
  const before = await server.rss();

  const procs = [];
  for (let left = clients; left > 0; left -= PER_PROCESS) {
    const n = Math.min(PER_PROCESS, left);
    const child = fork(path.join(here, 'sse/clients.mjs'), [String(port), String(n), streamPath, kind === 'hub' ? token : '', values.concurrency, String(WARMUP)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await request(child, null, 'ready');
    procs.push(child);
  }
  const t0 = performance.now();
  const results = await Promise.all(procs.map((c) => request(c, { cmd: 'connect' }, 'connected')));
  const connectWallMs = performance.now() - t0;
  const connectMs = results.flatMap((r) => r.connectMs);

  const after = await server.rss();
  if (after.connections !== clients) throw new Error(`${kind}: ${after.connections} of ${clients} connected`);

  const latencies = [];
  const publishMs = [];
  for (let i = 0; i < broadcasts; i++) {
    publishMs.push(await server.publish(i));
    // Let every client receive it before the next one, so each sample is one broadcast.
    await new Promise((r) => setTimeout(r, Math.max(50, clients / 50)));
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const c of procs) {
    const l = (await request(c, { cmd: 'latencies' }, 'latencies')).latencies;
    if (process.env.BENCH_DEBUG) console.error(kind, 'proc', 'min', Math.min(...l).toFixed(1), 'p50', pct(l, 0.5).toFixed(1), 'max', Math.max(...l).toFixed(1));
    latencies.push(...l);
  }
  if (latencies.length !== clients * broadcasts) throw new Error(`${kind}: ${latencies.length} of ${clients * broadcasts} deliveries`);

  for (const c of procs) c.send({ cmd: 'close' });
  await server.close();
  return {
    connectWallMs,
    connectP50: pct(connectMs, 0.5),
    connectP99: pct(connectMs, 0.99),
    rssPerConnKB: (after.rss - before.rss) / clients / 1024,
    // Server CPU per stream opened (the warm-up ones included), from process.cpuUsage (n/a for C).
    cpuPerConnectUs: (after.cpuStart - before.cpuEnd) / (clients + WARMUP * procs.length),
    broadcastP50: pct(latencies, 0.5),
    broadcastP99: pct(latencies, 0.99),
    publishP50: pct(publishMs, 0.5),
  };
}

const fmt = (v, unit) => (Number.isFinite(v) ? `${v.toFixed(unit === 'ms' ? 2 : unit === 'KB' ? 1 : 0)} ${unit}` : 'n/a');
console.log(`bench:sse — node ${process.versions.node}, ${broadcasts} broadcasts per size; ratio = hub / bare (lower is better)`);
if (!floorBinary) console.log(values['no-floor'] ? 'floor: skipped (--no-floor)' : 'floor: skipped (no C compiler `cc` here)');
for (const n of sizes) {
  const bare = await measure('bare', n);
  const hub = await measure('hub', n);
  const floor = floorBinary ? await measure('floor', n) : undefined;
  console.log(`\n${n.toLocaleString('en')} clients`);
  const rows = [
    ['time to connect all', 'connectWallMs', 'ms'],
    ['connect p50', 'connectP50', 'ms'],
    ['connect p99', 'connectP99', 'ms'],
    ['server CPU per connect', 'cpuPerConnectUs', 'µs'],
    ['RSS per idle connection', 'rssPerConnKB', 'KB'],
    ['broadcast p50', 'broadcastP50', 'ms'],
    ['broadcast p99', 'broadcastP99', 'ms'],
    ['server write loop p50', 'publishP50', 'ms'],
  ];
  for (const [label, key, unit] of rows) {
    const ratio = bare[key] > 0 ? (hub[key] / bare[key]).toFixed(2) : 'n/a';
    const floorCell = floor ? `   C floor ${fmt(floor[key], unit).padStart(11)}` : '';
    console.log(`  ${label.padEnd(26)} hub ${fmt(hub[key], unit).padStart(11)}   bare ${fmt(bare[key], unit).padStart(11)}   ×${ratio}${floorCell}`);
  }
}
clearTimeout(deadline);
