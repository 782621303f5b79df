import { describe, expect, it } from 'vitest';
import { LogRing } from './logging';

const line = (level: number, msg: string, extra: Record<string, unknown> = {}, time = Date.now()) =>
  JSON.stringify({ level, time, msg, ...extra });

describe('LogRing', () => {
  it('maps pino levels and keeps context fields', () => {
    const ring = new LogRing(10);
    ring.write(line(20, 'dbg'));
    ring.write(line(30, 'inf', { module: 'market', symbol: '600000.SH' }));
    ring.write(line(40, 'wrn'));
    ring.write(line(60, 'fatal'));
    const items = ring.query({ page: 1, pageSize: 10 }).items;
    expect(items.map((e) => e.level)).toEqual(['ERROR', 'WARNING', 'INFO', 'DEBUG']);
    expect(items[2]).toMatchObject({ module: 'market', message: 'inf', context: { symbol: '600000.SH' } });
    expect(items[0]!.module).toBe('app');
    expect(items[0]!.context).toBeUndefined();
  });

  it('keeps stack traces (source paths) out of the entries the API and the live stream serve', () => {
    const ring = new LogRing(10);
    const err = { type: 'Error', message: 'boom', code: 'E1', stack: 'Error: boom\n    at x (/app/server/src/x.ts:1:1)', cause: { message: 'deep', stack: 'at y' } };
    ring.write(line(50, 'failed', { module: 'db', err }));
    const entry = ring.query({ page: 1, pageSize: 10 }).items[0]!;
    expect(entry.context).toEqual({ err: { type: 'Error', message: 'boom', code: 'E1', cause: { message: 'deep' } } });
  });

  it('overwrites the oldest entries when full and keeps ids increasing', () => {
    const ring = new LogRing(3);
    for (let i = 1; i <= 5; i++) ring.write(line(30, `m${i}`));
    const { items, total } = ring.query({ page: 1, pageSize: 10 });
    expect(total).toBe(3);
    expect(items.map((e) => e.message)).toEqual(['m5', 'm4', 'm3']);
    expect(items.map((e) => e.id)).toEqual([5, 4, 3]);
  });

  it('filters by time range and ignores lines that are not JSON', () => {
    const ring = new LogRing(10);
    ring.write(line(30, 'old', {}, Date.parse('2026-01-01T00:00:00Z')));
    ring.write(line(30, 'new', {}, Date.parse('2026-06-01T00:00:00Z')));
    ring.write('not json');
    const r = ring.query({ page: 1, pageSize: 10, from: '2026-03-01T00:00:00Z', to: '2026-12-31T00:00:00Z' });
    expect(r.items.map((e) => e.message)).toEqual(['new']);
  });

  it('notifies subscribers until they unsubscribe', () => {
    const ring = new LogRing(10);
    const seen: string[] = [];
    const off = ring.subscribe((e) => seen.push(e.message));
    ring.write(line(30, 'a'));
    off();
    ring.write(line(30, 'b'));
    expect(seen).toEqual(['a']);
  });
});
