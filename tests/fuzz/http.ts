/**
 * Real HTTP for the contract fuzzer: node:http requests written exactly as generated (bad
 * percent-encoding, odd methods and headers included, which fetch would refuse), SSE streams read
 * up to their head and then hung up, and raw HTTP/1.1 messages over a socket for protocol errors.
 */
import http from 'node:http';
import net from 'node:net';
import { pctEncode, type FuzzRequest } from './generate';

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body was longer than we keep. */
  truncated: boolean;
}

const MAX_BODY = 4 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

/** Placeholders in generated requests, filled in per run (temp folders, ids known only after seeding). */
export type Placeholders = Record<string, string>;

export function fill(text: string, values: Placeholders): string {
  return text
    .replace(/\{(ROOT|DATA|SAMPLE|TASK|HOST|PORT)\}/g, (m, name: string) => values[name] ?? m)
    // In a URL the placeholder arrives percent-encoded, and so must its value.
    .replace(/%7B(ROOT|DATA|SAMPLE|TASK|HOST|PORT)%7D/g, (m, name: string) => (values[name] === undefined ? m : pctEncode(values[name])));
}

export function fillRequest(request: FuzzRequest, values: Placeholders): FuzzRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k] = fill(v, values);
  return {
    ...request,
    url: fill(request.url, values),
    headers,
    ...(request.body !== undefined ? { body: fill(request.body, values) } : {}),
    ...(request.raw !== undefined ? { raw: fill(request.raw, values) } : {}),
  };
}

export class TransportError extends Error {}

export async function send(port: number, agent: http.Agent, request: FuzzRequest, stream: boolean): Promise<FuzzResponse> {
  if (request.raw !== undefined) return sendRaw(port, request.raw);
  try {
    return await sendOnce(port, agent, request, stream);
  } catch (err) {
    // A kept-alive connection the server closed meanwhile: the request never reached it; once more on a new one.
    if (err instanceof StaleConnection) return sendOnce(port, new http.Agent({ keepAlive: false }), request, stream);
    throw err;
  }
}

class StaleConnection extends TransportError {}

function sendOnce(port: number, agent: http.Agent, request: FuzzRequest, stream: boolean): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    const big = request.bodySize !== undefined;
    let payload: Buffer | undefined;
    if (big) {
      const head = Buffer.from('{"name":"');
      payload = Buffer.concat([head, Buffer.alloc(request.bodySize! - head.length - 2, 0x61), Buffer.from('"}')]);
    } else if (request.body !== undefined) {
      payload = Buffer.from(request.body, 'utf8');
    }
    const headers: Record<string, string | number> = { ...request.headers };
    if (payload && !request.chunked) headers['content-length'] = payload.length;
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, agent: big ? false : agent, setHost: !('host' in request.headers) });
    } catch (err) {
      reject(new TransportError(`the client refused the request: ${(err as Error).message}`));
      return;
    }
    req.setTimeout(TIMEOUT_MS, () => {
      done(() => reject(new TransportError(`no answer within ${TIMEOUT_MS} ms`)));
      req.destroy();
    });
    req.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      const stale = req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
      done(() => reject(new (stale ? StaleConnection : TransportError)(`${code ?? ''} ${err.message}`.trim())));
    });
    req.on('response', (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (stream && type.includes('text/event-stream')) {
        // A live stream: its head is the answer; hang up at once.
        done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', truncated: false }));
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
        else truncated = true;
      });
      res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), truncated })));
      res.on('error', (err) => done(() => reject(new TransportError(err.message))));
    });
    if (payload) {
      if (big) {
        // The server may answer 413 and close before reading it all: write errors are then expected.
        req.on('error', () => undefined);
        req.write(payload, () => req.end());
      } else {
        req.end(payload);
      }
    } else {
      req.end();
    }
  });
}

/** Writes a raw HTTP/1.1 message and reads the answer until the server closes (or 3 s pass). */
function sendRaw(port: number, message: string): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (!match) {
        reject(new TransportError(text === '' ? 'the connection closed without an answer' : `not an HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const headers: http.IncomingHttpHeaders = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = split >= 0 ? text.slice(split + 4) : '';
      if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) body = dechunk(body);
      const length = Number(headers['content-length']);
      if (Number.isFinite(length)) body = Buffer.from(body, 'utf8').subarray(0, length).toString('utf8');
      resolve({ status: Number(match[1]), headers, body, truncated: false });
    };
    socket.setTimeout(3_000, finish);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is enough; keep-alive connections would otherwise wait for the timeout.
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const m = /content-length:\s*(\d+)/i.exec(text.slice(0, split));
      if (m && Buffer.byteLength(text.slice(split + 4)) >= Number(m[1])) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => finish());
    socket.write(message);
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const i = rest.indexOf('\r\n');
    if (i < 0) break;
    const size = parseInt(rest.slice(0, i), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out += rest.slice(i + 2, i + 2 + size);
    rest = rest.slice(i + 2 + size + 2);
  }
  return out;
}

/** A shell line that sends the same request (for a person replaying a failure). */
export function curl(origin: string, request: FuzzRequest): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // Bash ANSI-C quoting keeps CR, LF and control characters exact.
  const ansi = (s: string) =>
    `$'${[...s].map((c) => (c === '\\' || c === "'" ? `\\${c}` : c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('')}'`;
  if (request.raw !== undefined) return `printf %s ${ansi(request.raw)} | nc -q 3 ${new URL(origin).hostname} ${new URL(origin).port}`;
  const parts = ['curl', '-sS', '-i', '--path-as-is', '-X', q(request.method)];
  // An absolute-form target (`GET http://host/path`) is written as is.
  if (/^[a-z]+:\/\//i.test(request.url)) parts.push('--request-target', q(request.url));
  for (const [k, v] of Object.entries(request.headers)) parts.push('-H', q(`${k}: ${v}`));
  if (request.bodySize !== undefined) parts.push('--data-binary', `@<(head -c ${request.bodySize} /dev/zero | tr '\\0' a)`);
  else if (request.body !== undefined) parts.push('--data-binary', q(request.body));
  parts.push(q(/^[a-z]+:\/\//i.test(request.url) ? `${origin}/` : origin + request.url));
  return parts.join(' ');
}
