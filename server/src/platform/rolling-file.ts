/**
 * A pino destination that rolls over daily and by size: `mystocks-YYYY-MM-DD.log`, then
 * `mystocks-YYYY-MM-DD.1.log`, … within a day; only the newest `keep` files are kept.
 * Built on pino's own SonicBoom (asynchronous, buffered writes).
 */
import { mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';

export interface RollingFileOptions {
  dir: string;
  base: string;
  maxBytes: number;
  keep: number;
  /** The one clock of this file (Unix ms): day names, midnight roll-overs and the roll check all read it. */
  now?: () => number;
}

type Destination = ReturnType<typeof pino.destination>;

const pad = (n: number) => String(n).padStart(2, '0');
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

export class RollingFile {
  private dest: Destination;
  private day: string;
  private part = 0;
  private bytes = 0;
  private nextDayAt: number;
  file: string;

  constructor(private readonly options: RollingFileOptions) {
    mkdirSync(options.dir, { recursive: true });
    const now = this.now();
    this.day = localDay(now);
    this.nextDayAt = this.midnightAfter(now);
    // Continue today's newest part after a restart instead of starting over at part 0.
    this.part = this.existingParts(this.day);
    this.file = this.fileFor(this.day, this.part);
    this.dest = this.open(this.file);
    this.prune();
  }

  /** pino's multistream calls this with one serialized line per record. */
  write(line: string): boolean {
    if (this.clock() >= this.nextDayAt || this.bytes >= this.options.maxBytes) this.roll();
    // String length is a cheap lower bound of the UTF-8 size: good enough for a roll threshold.
    this.bytes += line.length;
    return this.dest.write(line);
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      if ((this.dest as unknown as { fd: number }).fd >= 0) return resolve();
      this.dest.once('ready', () => resolve());
      this.dest.once('error', reject);
    });
  }

  end(): Promise<void> {
    return new Promise((resolve) => {
      this.dest.once('close', () => resolve());
      this.dest.end();
    });
  }

  private roll(): void {
    const now = this.now();
    const day = localDay(now);
    if (day !== this.day) {
      this.day = day;
      this.part = 0;
      this.nextDayAt = this.midnightAfter(now);
    } else {
      this.part++;
    }
    this.bytes = 0;
    this.file = this.fileFor(this.day, this.part);
    // A fresh destination rather than reopen(): the old one flushes what it holds and closes itself.
    this.dest.end();
    this.dest = this.open(this.file);
    this.prune();
  }

  /** Opened synchronously (rare: once per roll) so the file exists before pruning counts files. */
  private open(file: string): Destination {
    return pino.destination({ dest: openSync(file, 'a'), sync: false });
  }

  private prune(): void {
    const prefix = `${this.options.base}-`;
    const current = path.basename(this.file);
    const others = readdirSync(this.options.dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.log') && f !== current)
      .map((f) => ({ f, key: this.sortKey(f) }))
      .sort((a, b) => (a.key < b.key ? 1 : -1));
    for (const { f } of others.slice(this.options.keep - 1)) {
      try {
        rmSync(path.join(this.options.dir, f), { force: true });
      } catch {
        // Still open elsewhere (Windows): it goes at the next roll.
      }
    }
  }

  /** `2026-11-21.003` orders parts of a day and days alike. */
  private sortKey(file: string): string {
    const m = /-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log$/.exec(file);
    return m ? `${m[1]}.${(m[2] ?? '0').padStart(6, '0')}` : '';
  }

  private existingParts(day: string): number {
    const parts = readdirSync(this.options.dir)
      .map((f) => new RegExp(`^${this.options.base}-${day}(?:\\.(\\d+))?\\.log$`).exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1] ?? 0));
    return parts.length ? Math.max(...parts) : 0;
  }

  private fileFor(day: string, part: number): string {
    return path.join(this.options.dir, `${this.options.base}-${day}${part ? `.${part}` : ''}.log`);
  }

  private midnightAfter(d: Date): number {
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  }

  private clock(): number {
    return this.options.now?.() ?? Date.now();
  }

  private now(): Date {
    return new Date(this.clock());
  }
}
