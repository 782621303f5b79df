/**
 * SSE bench client process: opens N streams (bounded concurrency), records each connect latency
 * (request start → response headers), then records, per `log` event, the delay from the server's
 * publish timestamp to its arrival here. Reports over IPC.
 */
import http from 'node:http';

const [port, count, streamPath, token, concurrencyArg, warmupArg] = process.argv.slice(2);
const total = Number(count);
const concurrency = Number(concurrencyArg ?? 10);
const warmup = Number(warmupArg ?? 0);
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
          // Arrival time first; the parsing below is the client's cost, not the server's.
          const arrived = now();
          buf += chunk;
          let end;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const at = frame.indexOf('"sentAt":');
            if (at >= 0 && frame.includes('event: log')) latencies.push(arrived - parseFloat(frame.slice(at + 9)));
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
    // Warm-up: open and drop a few streams first so both servers are measured past JIT start-up.
    for (let i = 0; i < warmup; i++) await open();
    for (const res of responses.splice(0)) res.destroy();
    connectMs.length = 0;
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
