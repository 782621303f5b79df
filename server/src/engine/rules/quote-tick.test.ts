import { describe, expect, it } from 'vitest';
import { toQuoteTick } from './quote-tick';

describe('toQuoteTick', () => {
  const quote = { symbol: '600000.SH', name: '浦发银行', price: 10.02, prevClose: 10, change: 0.02, changePercent: 0.2, volume: 1_000, time: '2026-03-02T10:00:03+08:00', source: 'sina', stale: false };

  it('parses the +08:00 time once and keeps the fields the rules read', () => {
    expect(toQuoteTick(quote)).toEqual({ symbol: '600000.SH', name: '浦发银行', price: 10.02, prevClose: 10, volume: 1_000, timeMs: Date.UTC(2026, 2, 2, 2, 0, 3), stale: false });
  });

  it('refuses a time without an offset or not a time', () => {
    expect(toQuoteTick({ ...quote, time: '2026-03-02T10:00:03' })).toBeUndefined();
    expect(toQuoteTick({ ...quote, time: 'soon+08:00' })).toBeUndefined();
  });
});
