/**
 * SSE bench client process: opens N streams (bounded concurrency), records each connect latency
 * (request start → response headers), then records, per `log` event, the delay from the server's
 * publish timestamp to its arrival here. Reports over IPC.
 */
import http from 'node:http';

const [port, count, streamPath, token, concurrencyArg] = process.argv.slice(2);
const total = Number(count);
const concurrency = Number(concurrencyArg ?? 100);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const now = () => performance.timeOrigin + performance.now();
const connectMs = [];
const latencies = [];
const responses = [];

function open() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      { host: '127.0.0.1', port: Number(port), path: streamPath, agent, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        connectMs.push(performance.now() - t0);
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk) => {
          buf += chunk;
          let end;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const dataLine = frame.split('\n').find((l) => l.startsWith('data: '));
            if (!dataLine || !frame.includes('event: log')) continue;
            const sentAt = JSON.parse(dataLine.slice(6)).context?.sentAt;
            if (typeof sentAt === 'number') latencies.push(now() - sentAt);
          }
        });
        responses.push(res);
        resolve();
      },
    );
    req.on('error', reject);
  });
}

process.on('message', async (msg) => {
  if (msg.cmd === 'connect') {
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        await open();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
      process.send({ connected: responses.length, wallMs: performance.now() - t0, connectMs });
    } catch (err) {
      process.send({ error: String(err) });
    }
  } else if (msg.cmd === 'latencies') {
    process.send({ latencies: latencies.splice(0) });
  } else if (msg.cmd === 'close') {
    for (const res of responses) res.destroy();
    process.exit(0);
  }
});
process.send({ ready: true });
