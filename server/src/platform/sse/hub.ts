/**
 * The SSE hub (docs/ARCHITECTURE.md, "The bus and the hub"): one implementation behind every stream endpoint.
 *
 * Per topic, a ring buffer of recent frames with increasing ids. Ids start at launch time × 1000
 * so they keep increasing across restarts: an id from an earlier launch is simply "too old" and
 * gets a `reset` event rather than being confused with a new event of the same number.
 * Each frame is serialized once and written to every matching connection. A connection whose
 * socket buffer grows past `maxBufferedBytes` is a client that stopped reading: it gets a final
 * `overflow` event (when the socket takes it) and is closed, so memory stays bounded.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SseEventName, SseEventPayloads, SseTopic } from '../../../../contracts/gen/sse-events';
import type { EventBus, BusMessage } from '../bus';
import { AppError } from '../errors';

export interface HubOptions {
  maxConnections: number;
  heartbeatMs: number;
  retryMs: number;
  bufferSize: number;
  maxBufferedBytes: number;
  /** Start of the id sequence; defaults to launch time × 1000. */
  idBase?: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxConnections: 10_000,
  heartbeatMs: 15_000,
  retryMs: 2_000,
  bufferSize: 1_000,
  maxBufferedBytes: 1024 * 1024,
};

export const TOPICS: readonly SseTopic[] = ['logs', 'tasks', 'backtest', 'optimize', 'alerts', 'quotes', 'system', 'trades'];

interface Frame {
  id: number;
  event: SseEventName;
  data: unknown;
  /** Encoded once, written to every connection as is. */
  bytes: Buffer;
}

export type EventFilter = (event: SseEventName, data: unknown) => boolean;

interface Connection {
  res: ServerResponse;
  topic: SseTopic;
  filter: EventFilter | undefined;
  closed: boolean;
  onClose: (() => void) | undefined;
}

class TopicBuffer {
  readonly frames: (Frame | undefined)[];
  private start = 0;
  size = 0;
  latestId: number;
  readonly connections = new Set<Connection>();

  constructor(
    readonly name: SseTopic,
    private readonly capacity: number,
    readonly idBase: number,
  ) {
    this.frames = new Array<Frame | undefined>(capacity);
    this.latestId = idBase;
  }

  get oldestId(): number {
    return this.size === 0 ? this.latestId + 1 : this.frames[this.start]!.id;
  }

  append(event: SseEventName, data: unknown): Frame {
    const id = ++this.latestId;
    const frame: Frame = { id, event, data, bytes: Buffer.from(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`) };
    if (this.size < this.capacity) {
      this.frames[(this.start + this.size) % this.capacity] = frame;
      this.size++;
    } else {
      this.frames[this.start] = frame;
      this.start = (this.start + 1) % this.capacity;
    }
    return frame;
  }

  /** Frames with id > afterId, oldest first. */
  *after(afterId: number): Generator<Frame> {
    for (let i = 0; i < this.size; i++) {
      const frame = this.frames[(this.start + i) % this.capacity]!;
      if (frame.id > afterId) yield frame;
    }
  }
}

export interface ConnectOptions {
  topic: SseTopic;
  filter?: EventFilter;
  /**
   * Events for this connection only, sent once after any replay (a snapshot of current state);
   * not buffered. They carry the topic's latest id, so a reconnect replays what came after.
   */
  initial?: readonly { event: SseEventName; data: unknown }[];
  /** Called once when this connection ends, whatever the reason (client gone, dropped, shutdown). */
  onClose?: () => void;
}

/**
 * Where a reconnecting client resumes: EventSource's `Last-Event-ID` header, or the `lastEventId`
 * query parameter every stream operation takes (contracts/sse.yaml) for clients that cannot set it.
 */
function lastEventId(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value ?? (request.query as { lastEventId?: string } | undefined)?.lastEventId;
}

/**
 * Ends a stream: its last bytes, then the connection itself. A stream has no framing (no chunks,
 * no length), so only closing the socket tells the client it ended, and a kept-alive socket would
 * keep the server from closing. A client that does not read will not drain the goodbye either:
 * the socket is cut after a second at most.
 */
function hangUp(res: ServerResponse, last?: string): void {
  // Held here: the response lets go of its socket once it has finished.
  const socket = res.socket;
  res.end(last, () => socket?.destroy());
  setTimeout(() => socket?.destroy(), 1_000).unref();
}

export class SseHub {
  private readonly options: HubOptions;
  private readonly topics = new Map<SseTopic, TopicBuffer>();
  private readonly heartbeat: NodeJS.Timeout;
  private connectionCount = 0;
  private readonly totals = { published: 0, sent: 0, dropped: 0, rejected: 0 };
  private closing = false;

  constructor(bus: EventBus, options: Partial<HubOptions> = {}) {
    this.options = { ...DEFAULT_HUB_OPTIONS, ...options };
    const idBase = this.options.idBase ?? Date.now() * 1000;
    for (const topic of TOPICS) {
      this.topics.set(topic, new TopicBuffer(topic, this.options.bufferSize, idBase));
      bus.subscribe(topic, (message: BusMessage) => this.publish(topic, message.event, message.data));
    }
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs).unref();
  }

  publish<N extends SseEventName>(topic: SseTopic, event: N, data: SseEventPayloads[N]): void {
    const buffer = this.topic(topic);
    const frame = buffer.append(event, data);
    this.totals.published++;
    for (const conn of buffer.connections) {
      if ((!conn.filter || conn.filter(event, data)) && this.write(conn, frame.bytes)) this.totals.sent++;
    }
  }

  /** Takes over the reply: headers, `retry:`, replay after Last-Event-ID (header or query), then live events. */
  connect(request: FastifyRequest, reply: FastifyReply, options: ConnectOptions): void {
    if (this.closing) throw new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down');
    if (this.connectionCount >= this.options.maxConnections) {
      this.totals.rejected++;
      throw new AppError('SERVICE_UNAVAILABLE', `too many stream connections (limit ${this.options.maxConnections})`);
    }
    const buffer = this.topic(options.topic);
    reply.hijack();
    const res = reply.raw;
    // Nagle is already off and the socket has no idle timeout: node:http's `noDelay` and
    // Fastify's `connectionTimeout` defaults; `requestTimeout` ends with the request's headers.
    // No chunked framing: a stream ends only when its connection does, so each event is one
    // plain socket write of the shared bytes (about twice as fast a broadcast at 10k clients).
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    const conn: Connection = { res, topic: options.topic, filter: options.filter, closed: false, onClose: options.onClose };
    this.connectionCount++;
    buffer.connections.add(conn);
    res.on('close', () => this.detach(conn));

    let opening = `retry: ${this.options.retryMs}\n\n`;
    const resumeAfter = lastEventId(request);
    if (resumeAfter !== undefined) opening += this.replay(buffer, conn, resumeAfter);
    for (const e of options.initial ?? []) {
      opening += `id: ${buffer.latestId}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
      this.totals.sent++;
    }
    this.write(conn, opening);
  }

  status() {
    return {
      connections: this.connectionCount,
      maxConnections: this.options.maxConnections,
      topics: [...this.topics.values()].map((t) => ({
        topic: t.name,
        connections: t.connections.size,
        latestId: t.latestId,
        buffered: t.size,
      })),
      totals: { ...this.totals },
    };
  }

  /** Ends every stream; called before the HTTP server closes. */
  close(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const buffer of this.topics.values()) {
      for (const conn of buffer.connections) {
        this.detach(conn);
        hangUp(conn.res);
      }
    }
  }

  private topic(name: SseTopic): TopicBuffer {
    const buffer = this.topics.get(name);
    if (!buffer) throw new Error(`unknown topic ${name}`);
    return buffer;
  }

  private replay(buffer: TopicBuffer, conn: Connection, raw: string): string {
    const lastId = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
    const reset = (reason: 'too-old' | 'unknown-id') => {
      this.totals.sent++;
      const data: SseEventPayloads['reset'] = { reason, requestedId: raw, oldestId: buffer.oldestId, latestId: buffer.latestId };
      return `id: ${buffer.latestId}\nevent: reset\ndata: ${JSON.stringify(data)}\n\n`;
    };
    if (Number.isNaN(lastId) || lastId > buffer.latestId) return reset('unknown-id');
    // Events between lastId and the oldest buffered one are gone: say so rather than skip them.
    if (lastId < buffer.oldestId - 1) return reset('too-old');
    let text = '';
    for (const frame of buffer.after(lastId)) {
      if (conn.filter && !conn.filter(frame.event, frame.data)) continue;
      text += frame.bytes.toString();
      this.totals.sent++;
    }
    return text;
  }

  private write(conn: Connection, text: string | Buffer): boolean {
    if (conn.closed) return false;
    conn.res.write(text);
    if (conn.res.writableLength > this.options.maxBufferedBytes) this.drop(conn);
    return true;
  }

  private drop(conn: Connection): void {
    const buffer = this.topic(conn.topic);
    const data: SseEventPayloads['overflow'] = { reason: 'slow-consumer', bufferedBytes: conn.res.writableLength };
    this.totals.dropped++;
    this.detach(conn);
    hangUp(conn.res, `id: ${buffer.latestId}\nevent: overflow\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private detach(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connectionCount--;
    this.topic(conn.topic).connections.delete(conn);
    conn.onClose?.();
  }

  private beat(): void {
    for (const buffer of this.topics.values()) {
      for (const conn of buffer.connections) this.write(conn, ': heartbeat\n\n');
    }
  }
}
