/**
 * The one SSE client. Every live feature (logs now; backtest progress, alerts, quotes later) opens
 * its stream through `useEventStream` / `EventStream` and gets typed events from the contracts.
 *
 * Built on the browser EventSource (same origin, so the HttpOnly session cookie authenticates it).
 * EventSource's own reconnect is not used: it cannot add the `lastEventId` query (a fresh
 * EventSource cannot set the Last-Event-ID header), it retries at a fixed interval forever, and it
 * gives up silently on an HTTP error. Instead, on any error the source is closed and reopened with
 * exponential backoff and full jitter, resuming after the last id seen; the server replays what was
 * missed, or sends `reset` when it cannot (the feature then refetches over REST).
 */
import { getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';
import type { operations } from '@contracts/gen/api';
import { SseStreams, type SseEventPayloads } from '@contracts/gen/sse-events';
import { getApiToken, sessionLost } from './auth';
import { refreshSession } from './session';

export type StreamName = keyof typeof SseStreams;
/** The events a stream may send, e.g. `'log' | 'reset' | 'overflow'` for `streamLogs`. */
export type StreamEventName<S extends StreamName> = Extract<(typeof SseStreams)[S]['events'][number], keyof SseEventPayloads>;
/** The stream operation's query parameters; `lastEventId` is the client's own business. */
export type StreamQuery<S extends StreamName> = Omit<NonNullable<operations[S]['parameters']['query']>, 'lastEventId'>;
/** The stream operation's path parameters (`{ taskId }` for `/api/stream/backtest/{taskId}`); `never` when it has none. */
export type StreamPath<S extends StreamName> = NonNullable<operations[S]['parameters']['path']>;

export interface StreamEventMeta {
  /** The SSE `id:`, kept as the decimal string the server sent. */
  id: string;
}

export type StreamHandlers<S extends StreamName> = {
  [E in StreamEventName<S>]?: (data: SseEventPayloads[E], meta: StreamEventMeta) => void;
};

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** `path` is required exactly when the stream's path has parameters, so a missing one is a type error. */
type PathOption<S extends StreamName> = [StreamPath<S>] extends [never] ? { path?: undefined } : { path: StreamPath<S> };

export type EventStreamOptions<S extends StreamName> = PathOption<S> & EventStreamBaseOptions<S>;

interface EventStreamBaseOptions<S extends StreamName> {
  /** Read at every (re)connect, so a getter lets the feature change filters before `restart()`. */
  query?: StreamQuery<S> | (() => StreamQuery<S>);
  on: StreamHandlers<S>;
  /**
   * Called when a connection opens. `resumed` is true when it continued after a known id (the
   * server replays the gap); false for a fresh start, when the feature should load a snapshot.
   */
  onOpen?: (info: { resumed: boolean }) => void;
  /** Resume after this id on the first connection (e.g. kept by a store across page visits). */
  lastEventId?: string | null;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Injectable for tests; `Math.random` otherwise. */
  random?: () => number;
}

/** Why the last connection ended; shown as a tooltip by the features. */
export type StreamError = 'network' | 'http' | 'unreachable' | 'unauthorized' | 'overflow';

type Verdict = 'ok' | 'down' | 'unauthorized';

/** The generated stream table, typed so that indexing it with a generic `S` keeps its event names. */
const streams: { readonly [K in StreamName]: { readonly path: string; readonly events: readonly StreamEventName<K>[] } } = SseStreams;

const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 };
/**
 * A stream's path with its `{name}` parameters filled in (encoded), e.g.
 * `/api/stream/backtest/{taskId}` → `/api/stream/backtest/t_42`. A parameter without a value
 * throws: opening `/api/stream/backtest/{taskId}` literally would only earn a 404 to retry forever.
 */
export function streamPath(template: string, params: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === '') throw new Error(`[sse] ${template}: no value for path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

/** EventSource.CLOSED; not read from the global so a test double needs no statics. */
const CLOSED = 2;

/**
 * Before reopening a stream: is the server up at all (public liveness route, no toast on failure),
 * and, when the stream itself was refused with an HTTP error, is the session cookie still accepted?
 * EventSource hides the status code, so a cookie-only REST call on an authenticated route tells.
 */
async function probe(afterHttpError: boolean): Promise<Verdict> {
  try {
    const live = await fetch('/api/health/live', { credentials: 'same-origin', cache: 'no-store' });
    if (!live.ok) return 'down';
    if (!afterHttpError) return 'ok';
    // No Authorization header on purpose: the stream only has the cookie, so test the cookie.
    const status = await fetch('/api/stream/status', { credentials: 'same-origin', cache: 'no-store' });
    return status.status === 401 ? 'unauthorized' : 'ok';
  } catch {
    return 'down';
  }
}

export class EventStream<S extends StreamName> {
  readonly state = ref<ConnectionState>('closed');
  readonly lastError = shallowRef<StreamError | null>(null);
  /** Failed attempts since the last successful open. */
  readonly attempts = ref(0);
  readonly lastEventId = ref<string | null>(null);

  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  /** Bumped whenever a source is replaced or the stream stops: stale callbacks compare and bail. */
  private generation = 0;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly random: () => number;

  constructor(
    readonly stream: S,
    private readonly options: EventStreamOptions<S>,
  ) {
    this.lastEventId.value = options.lastEventId ?? null;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempts.value = 0;
    this.connect();
  }

  close(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.close();
    this.source = null;
    this.state.value = 'closed';
  }

  /** Reconnects now, e.g. after the query changed; `fresh` forgets the last id (no replay). */
  restart(options: { fresh?: boolean } = {}): void {
    this.close();
    if (options.fresh) this.lastEventId.value = null;
    this.start();
  }

  /** Delay before attempt `n` (1-based): full jitter over an exponentially growing window. */
  delayFor(attempt: number): number {
    const window = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (attempt - 1));
    return Math.round(this.random() * window);
  }

  private url(resumeId: string | null): string {
    const query = typeof this.options.query === 'function' ? this.options.query() : (this.options.query ?? {});
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.set(key, String(value));
    }
    if (resumeId !== null) params.set('lastEventId', resumeId);
    const search = params.toString();
    const path = streamPath(streams[this.stream].path, this.options.path as Record<string, string> | undefined);
    return search ? `${path}?${search}` : path;
  }

  private connect(): void {
    const generation = ++this.generation;
    this.state.value = this.attempts.value === 0 ? 'connecting' : 'reconnecting';
    const resumeId = this.lastEventId.value;
    const source = new EventSource(this.url(resumeId));
    this.source = source;

    source.onopen = () => {
      if (generation !== this.generation) return;
      this.state.value = 'open';
      this.attempts.value = 0;
      this.lastError.value = null;
      this.options.onOpen?.({ resumed: resumeId !== null });
    };
    source.onerror = (event) => {
      if (generation !== this.generation) return;
      // A server event named `error` (the backtest stream's terminal failure) reaches `onerror`
      // too: the handler attribute is a listener for every event of that type. It carries data
      // (a MessageEvent) and is delivered below; a dropped connection is a plain Event.
      if (event instanceof MessageEvent) return;
      // CLOSED here means the browser gave up: an HTTP error status (401, 503 at the connection
      // cap) or a wrong content type. Otherwise the connection dropped (server stopped, network).
      const httpError = source.readyState === CLOSED;
      this.drop(httpError ? 'http' : 'network', httpError);
    };
    for (const name of streams[this.stream].events) {
      source.addEventListener(name, (event) => this.dispatch(generation, name, event as MessageEvent<string>));
    }
  }

  private dispatch(generation: number, name: StreamEventName<S>, event: MessageEvent<string>): void {
    if (generation !== this.generation) return;
    if (event.lastEventId) this.lastEventId.value = event.lastEventId;
    let data: unknown;
    try {
      data = JSON.parse(event.data); // once per event, whoever listens
    } catch {
      console.warn(`[sse] ${this.stream}: ignored a "${name}" event whose data is not JSON`);
      return;
    }
    // The payload's shape is the contract's (the server serializes it from the same schema).
    const handler = this.options.on[name] as ((data: unknown, meta: StreamEventMeta) => void) | undefined;
    handler?.(data, { id: event.lastEventId });
    // The server dropped us for reading too slowly and closes the connection; resuming after the
    // last id replays what it still buffers (or it answers with `reset`).
    if (name === 'overflow' && generation === this.generation) this.drop('overflow', false);
  }

  /** Closes the current source and schedules the next attempt. */
  private drop(reason: StreamError, httpError: boolean): void {
    this.source?.close();
    this.source = null;
    this.lastError.value = reason;
    this.scheduleRetry(httpError);
  }

  private scheduleRetry(httpError: boolean): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.attempts.value++;
    this.state.value = 'reconnecting';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.probeThenConnect(generation, httpError), this.delayFor(this.attempts.value));
  }

  private async probeThenConnect(generation: number, httpError: boolean): Promise<void> {
    const verdict = await probe(httpError);
    if (generation !== this.generation || this.stopped) return;
    if (verdict === 'down') {
      this.lastError.value = 'unreachable';
      this.scheduleRetry(httpError);
      return;
    }
    if (verdict === 'unauthorized') {
      this.lastError.value = 'unauthorized';
      // With the token still in memory (desktop app, or this page's own exchange), get a new
      // cookie; without it nothing here can help, and the shell explains how to get back in.
      if (!getApiToken()) {
        sessionLost.value = true;
        this.close();
        return;
      }
      try {
        await refreshSession();
      } catch {
        // A refused token has set `sessionLost` (API client); anything else: try again later.
        if (sessionLost.value) this.close();
        else if (generation === this.generation) this.scheduleRetry(true);
        return;
      }
      if (generation !== this.generation || this.stopped) return;
    }
    this.connect();
  }
}

/**
 * Opens `stream` now and closes it when the calling component (or effect scope) goes away.
 * The returned stream exposes `state`, `lastError`, `attempts`, `lastEventId`, `restart`, `close`.
 */
export function useEventStream<S extends StreamName>(stream: S, options: EventStreamOptions<S>): EventStream<S> {
  const source = new EventStream(stream, options);
  if (getCurrentScope()) onScopeDispose(() => source.close());
  source.start();
  return source;
}
