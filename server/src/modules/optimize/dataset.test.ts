/** The shared dataset: unpacked it is the loaded bars (same numbers, same benchmark dates), and one Buffer round trip keeps it whole. */
import { describe, expect, it } from 'vitest';
import { allocateSeries, setBar, sliceSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import type { LoadedBars } from '../backtest/job';
import { decodeDataset, encodeDataset, packDataset, unpackDataset } from './dataset';

function loaded(): LoadedBars {
  const bars = allocateSeries(8); // spare capacity: only `length` bars are packed
  ['2024-01-02', '2024-01-03', '2024-01-04'].forEach((d, i) => setBar(bars, i, parseTimeString(d)!, 10 + i, 11 + i, 9 + i, 10.5 + i, 1000 * (i + 1), 0));
  return {
    data: [{ symbol: '600519.SH', bars: sliceSeries(bars, 0, 3), isSt: true }],
    start: parseTimeString('2024-01-03')!,
    end: parseTimeString('2024-01-04')! + 86_399,
    barsTotal: 2,
    benchmark: { symbol: '000300.SH', dates: ['2024-01-02', '2024-01-04'], close: [3500.25, 3512.5] },
    warnings: ['w'],
    fingerprint: 'f'.repeat(64),
  };
}

function plain(l: LoadedBars) {
  return {
    ...l,
    data: l.data.map((d) => ({ symbol: d.symbol, isSt: d.isSt, length: d.bars.length, columns: (['ts', 'open', 'high', 'low', 'close', 'volume', 'amount'] as const).map((c) => Array.from(d.bars[c].subarray(0, d.bars.length))) })),
  };
}

describe('the dataset', () => {
  it('unpacks to the same bars and benchmark', () => {
    const l = loaded();
    const ds = packDataset(l);
    expect(ds.symbols[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(plain(unpackDataset(ds))).toEqual(plain(l));
  });

  it('survives encoding to one Buffer', () => {
    const l = loaded();
    expect(plain(unpackDataset(decodeDataset(encodeDataset(packDataset(l)))))).toEqual(plain(l));
    const none = { ...l, benchmark: null };
    expect(plain(unpackDataset(decodeDataset(encodeDataset(packDataset(none)))))).toEqual(plain(none));
  });
});
