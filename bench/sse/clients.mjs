/**
 * SSE bench client process: opens N streams (bounded concurrency) over raw TCP sockets, records
 * each connect latency (socket open → the status line of the response), and for every chunk that
 * arrives only its arrival time and bytes. Frames are parsed after the broadcasts, when asked for
 * latencies: with 5,000 sockets in one process, HTTP parsing and string handling while events
 * arrive would delay the arrival times of the later sockets and measure this process, not the
 * server. The same client measures the hub and the bare server.
 */
import net from 'node:net';

const [port, count, streamPath, token, concurrencyArg, warmupArg] = process.argv.slice(2);
const total = Number(count);
const concurrency = Number(concurrencyArg ?? 10);
const warmup = Number(warmupArg ?? 0);
const now = () => performance.timeOrigin + performance.now();
const requestText =
  `GET ${streamPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n` +
  (token ? `Authorization: Bearer ${token}\r\n` : '') +
  '\r\n';
const connectMs = [];
/** Per stream: arrival times and chunks, in order, headers included. */
const streams = [];

// One read buffer for every socket (`onread`): data goes straight to a callback, bypassing the
// stream machinery, and is copied into a preallocated arena; no allocation per event.
const readBuffer = Buffer.allocUnsafe(64 * 1024);
let arena = Buffer.allocUnsafe(64 * 1024 * 1024);
let arenaUsed = 0;

function keep(stream, n) {
  if (arenaUsed + n > arena.length) {
    arena = Buffer.allocUnsafe(Math.max(arena.length, n));
    arenaUsed = 0;
  }
  readBuffer.copy(arena, arenaUsed, 0, n);
  stream.chunks.push(arena.subarray(arenaUsed, arenaUsed + n));
  arenaUsed += n;
}

function open() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const stream = { socket: undefined, arrivals: [], chunks: [], status: false };
    const onread = (n) => {
      const arrived = now();
      if (!stream.status) {
        const status = readBuffer.toString('latin1', 0, 12);
        if (status !== 'HTTP/1.1 200') return reject(new Error(`response ${readBuffer.toString('latin1', 0, Math.min(n, 40))}`));
        stream.status = true;
        connectMs.push(performance.now() - t0);
        streams.push(stream);
        resolve();
      }
      stream.arrivals.push(arrived);
      keep(stream, n);
    };
    const socket = net.connect({ port: Number(port), host: '127.0.0.1', onread: { buffer: readBuffer, callback: onread } });
    stream.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(requestText));
    socket.on('error', reject);
  });
}

/** publish → arrival of every `log` frame, taking a frame's arrival as that of the chunk that completed it. */
function latencies() {
  const out = [];
  for (const { arrivals, chunks } of streams) {
    let buf = '';
    for (let i = 0; i < chunks.length; i++) {
      buf += chunks[i].toString('utf8');
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const at = frame.indexOf('"sentAt":');
        if (at >= 0 && frame.includes('event: log')) out.push(arrivals[i] - parseFloat(frame.slice(at + 9)));
      }
    }
    arrivals.length = 0;
    chunks.length = 0;
  }
  return out;
}

process.on('message', async (msg) => {
  if (msg.cmd === 'connect') {
    // Warm-up: open and drop a few streams first so both servers are measured past JIT start-up.
    for (let i = 0; i < warmup; i++) await open();
    for (const s of streams.splice(0)) s.socket.destroy();
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
      process.send({ connected: streams.length, wallMs: performance.now() - t0, connectMs });
    } catch (err) {
      process.send({ error: String(err) });
    }
  } else if (msg.cmd === 'latencies') {
    process.send({ latencies: latencies() });
  } else if (msg.cmd === 'close') {
    for (const s of streams) s.socket.destroy();
    process.exit(0);
  }
});
process.send({ ready: true });
