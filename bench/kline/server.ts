/**
 * K-line bench server process. `app`: the real embedded server with 600000.SH daily bars imported
 * through the import API; `bare`: a bare Fastify route answering the very same bytes. Prints its
 * port (and the path to request) as one JSON line on stdout.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { startServer } from '../../server/src/app';

const kind = process.argv[2] as 'app' | 'bare';
const TOKEN = 'bench-token-0123456789abcdefghij';
const shared = path.resolve(import.meta.dirname, '../../../shared/data');
const QUERY = '/api/market/kline?symbol=600000.SH&period=day&start=2015-08-05&end=2025-08-05';

async function importSample(origin: string): Promise<void> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const file = path.join(shared, 'tdx/vipdoc/sh/lday/sh600000.day');
  const res = await fetch(`${origin}/api/data/import/tdx`, { method: 'POST', headers, body: JSON.stringify({ path: file }) });
  const task = ((await res.json()) as { data: { id: string } }).data;
  for (;;) {
    const state = ((await (await fetch(`${origin}/api/data/imports/${task.id}`, { headers })).json()) as { data: { state: string } }).data.state;
    if (state === 'succeeded') return;
    if (state === 'failed') throw new Error('sample import failed');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-kline-'));
const app = await startServer({ dataDir, token: TOKEN, importRoots: [shared] });
await importSample(app.origin);
const sample = await fetch(`${app.origin}${QUERY}`, { headers: { authorization: `Bearer ${TOKEN}` } });
const bytes = Buffer.from(await sample.arrayBuffer());

if (kind === 'app') {
  console.log(JSON.stringify({ url: `${app.origin}${QUERY}`, token: TOKEN, bytes: bytes.length }));
} else {
  await app.close();
  const bare = Fastify();
  bare.get('/api/market/kline', (_request, reply) => reply.type('application/json; charset=utf-8').send(bytes));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const port = (bare.server.address() as { port: number }).port;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}${QUERY}`, token: TOKEN, bytes: bytes.length }));
}
// A normal exit on SIGTERM, so `--cpu-prof` (BENCH_PROF) writes its profile.
process.on('SIGTERM', () => process.exit(0));
