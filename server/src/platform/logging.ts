/**
 * Logging: pino writes every record to a daily/size-rotated file in the data directory and to an
 * in-memory ring buffer that the log history query (and the live log stream) read.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import { RollingFile } from './rolling-file';
import type { components } from '../../../contracts/gen/api';

export type LogLevel = components['schemas']['LogLevel'];
export type LogEntry = components['schemas']['LogEntry'];

const LEVEL_ORDER: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const PINO_LEVEL: Record<LogLevel, LevelWithSilent> = { DEBUG: 'debug', INFO: 'info', WARNING: 'warn', ERROR: 'error' };

export function levelRank(level: LogLevel): number {
  return LEVEL_ORDER[level];
}

export function toPinoLevel(level: LogLevel): LevelWithSilent {
  return PINO_LEVEL[level];
}

function fromPinoNumber(n: number): LogLevel {
  if (n >= 50) return 'ERROR';
  if (n >= 40) return 'WARNING';
  if (n >= 30) return 'INFO';
  return 'DEBUG';
}

const RESERVED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'module', 'reqId']);

export interface LogQuery {
  level?: LogLevel;
  q?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

const dropStacks = (key: string, value: unknown) => (key === 'stack' ? undefined : value);

/** Bounded buffer of recent entries; oldest are overwritten. Also a pino destination. */
export class LogRing {
  private readonly entries: (LogEntry | undefined)[];
  private next = 0;
  private nextId = 1;
  private readonly listeners = new Set<(entry: LogEntry) => void>();

  constructor(readonly capacity = 10_000) {
    this.entries = new Array<LogEntry | undefined>(capacity);
  }

  /** pino calls this with one serialized JSON line per record. */
  write(line: string): void {
    let rec: Record<string, unknown>;
    try {
      // The ring feeds the API and the live log stream: stack traces (source paths) stay in the file.
      rec = JSON.parse(line, dropStacks) as Record<string, unknown>;
    } catch {
      return;
    }
    const context: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) if (!RESERVED.has(k)) context[k] = v;
    if (rec.reqId !== undefined) context.reqId = rec.reqId;
    const entry: LogEntry = {
      id: this.nextId++,
      timestamp: new Date(typeof rec.time === 'number' ? rec.time : Date.now()).toISOString(),
      level: fromPinoNumber(typeof rec.level === 'number' ? rec.level : 30),
      module: typeof rec.module === 'string' ? rec.module : 'app',
      message: typeof rec.msg === 'string' ? rec.msg : '',
      ...(Object.keys(context).length > 0 ? { context } : {}),
    };
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of this.listeners) listener(entry);
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first. */
  query(query: LogQuery): { items: LogEntry[]; total: number } {
    const min = query.level ? levelRank(query.level) : 0;
    const needle = query.q?.toLowerCase();
    const from = query.from ? Date.parse(query.from) : -Infinity;
    const to = query.to ? Date.parse(query.to) : Infinity;
    const matches: LogEntry[] = [];
    for (let i = 1; i <= this.capacity; i++) {
      const e = this.entries[(this.next - i + this.capacity) % this.capacity];
      if (!e) break;
      if (levelRank(e.level) < min) continue;
      const t = Date.parse(e.timestamp);
      if (t < from || t > to) continue;
      if (needle && !e.message.toLowerCase().includes(needle) && !e.module.toLowerCase().includes(needle)) continue;
      matches.push(e);
    }
    const start = (query.page - 1) * query.pageSize;
    return { items: matches.slice(start, start + query.pageSize), total: matches.length };
  }
}

export interface Logging {
  logger: Logger;
  ring: LogRing;
  /** The file being written now (it changes when the log rolls over). */
  currentLogFile(): string;
  close(): Promise<void>;
}

export async function createLogging(dataDir: string, level: LogLevel, alsoStdout = false): Promise<Logging> {
  const dir = path.join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = new RollingFile({ dir, base: 'mystocks', maxBytes: 20 * 1024 * 1024, keep: 10 });
  // Open the file before the first record so a start-up failure is reported here, not lost.
  await file.ready();
  const ring = new LogRing();
  const streams: pino.StreamEntry[] = [
    { level: 'trace', stream: file },
    { level: 'trace', stream: ring },
  ];
  if (alsoStdout) streams.push({ level: 'warn', stream: process.stdout });
  const logger = pino(
    {
      level: toPinoLevel(level),
      base: undefined,
      // Credentials never reach a log line, whatever a caller passes in.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'token'], censor: '[redacted]' },
    },
    pino.multistream(streams),
  );
  return {
    logger,
    ring,
    currentLogFile: () => file.file,
    close: () => file.end(),
  };
}
