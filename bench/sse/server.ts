/**
 * SSE bench server process. `bare`: a minimal node:http SSE server (the baseline); `hub`: the real
 * embedded server (auth, Host checks, the hub). Driven over IPC by bench/sse.mjs.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/src/app';

const kind = process.argv[2] as 'bare' | 'hub';
const TOKEN = 'bench-token-0123456789abcdefghij';

type Publish = (sentAt: number, seq: number) => void;

async function startBare(): Promise<{ port: number; publish: Publish; count: () => number; close(): Promise<void> }> {
  const clients = new Set<http.ServerResponse>();
  let id = 0;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  });
  server.maxConnections = 20_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', 1024, r));
  return {
    port: (server.address() as { port: number }).port,
    publish: (sentAt, seq) => {
      const frame = `id: ${++id}\nevent: log\ndata: ${JSON.stringify({ id: seq, timestamp: new Date().toISOString(), level: 'INFO', module: 'bench', message: 'tick', context: { sentAt } })}\n\n`;
      for (const res of clients) res.write(frame);
    },
    count: () => clients.size,
    close: () => {
      for (const res of clients) res.end();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function startHub() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mystocks-bench-sse-'));
  const s = await startServer({ dataDir, token: TOKEN, sse: { maxConnections: 20_000 } });
  s.app.server.maxConnections = 20_000;
  return {
    port: s.port,
    publish: ((sentAt, seq) =>
      s.context.bus.publish('logs', 'log', {
        id: seq,
        timestamp: new Date().toISOString(),
        level: 'INFO',
        module: 'bench',
        message: 'tick',
        context: { sentAt },
      })) as Publish,
    count: () => s.context.hub.status().connections,
    close: async () => {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const server = kind === 'bare' ? await startBare() : await startHub();
const now = () => performance.timeOrigin + performance.now();

process.on('message', async (msg: { cmd: string; seq?: number }) => {
  if (msg.cmd === 'rss') {
    // CPU time (µs) before and after the collections, so the work between two calls is measurable.
    const cpu = process.cpuUsage();
    global.gc?.();
    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    global.gc?.();
    const cpuEnd = process.cpuUsage();
    process.send!({ rss: process.memoryUsage().rss, connections: server.count(), cpuStart: cpu.user + cpu.system, cpuEnd: cpuEnd.user + cpuEnd.system });
  } else if (msg.cmd === 'publish') {
    const t0 = performance.now();
    server.publish(now(), msg.seq ?? 0);
    process.send!({ published: msg.seq, publishMs: performance.now() - t0 });
  } else if (msg.cmd === 'close') {
    await server.close();
    process.send!({ closed: true });
    process.exit(0);
  }
});
process.send!({ ready: true, port: server.port, token: TOKEN });
