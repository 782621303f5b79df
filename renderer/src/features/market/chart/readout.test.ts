import { describe, expect, it } from 'vitest';
import { view } from '@/test/indicators';
import { indicatorReadoutText, indicatorValuesAt, readoutAt } from './readout';
import { fromKline } from './series';
import { buildWindow } from './window';

const series = fromKline({
  time: ['2025-08-01', '2025-08-04', '2025-08-05'],
  open: [12.82, 12.9, 13.15],
  high: [12.98, 13.45, 13.78],
  low: [12.58, 12.9, 13.14],
  close: [12.92, 13.13, 13.75],
  volume: [79386104, 99782728, 133646594],
  amount: [1018578944, 1321632128, 1812400000],
});

describe('readoutAt', () => {
  it('gives the bar and its change against the previous close', () => {
    const w = buildWindow(series, 0, 3, 100);
    const r = readoutAt(series, w, 2)!;
    expect(r).toMatchObject({ time: '2025-08-05', timeTo: null, bars: 1, open: 13.15, high: 13.78, low: 13.14, close: 13.75, prevClose: 13.13 });
    expect(r.change).toBeCloseTo(0.62, 10);
    expect(r.changePercent).toBeCloseTo(4.722, 3);
    expect(r.amplitude).toBeCloseTo(((13.78 - 13.14) / 13.13) * 100, 10);
  });

  it('has no change for the first bar of the series, and nothing outside the window', () => {
    const w = buildWindow(series, 0, 3, 100);
    expect(readoutAt(series, w, 0)).toMatchObject({ prevClose: null, change: null, changePercent: null });
    expect(readoutAt(series, w, 3)).toBeNull();
    expect(readoutAt(series, w, -1)).toBeNull();
  });

  it('describes a bucket by its time range and the bar count', () => {
    const w = buildWindow(series, 0, 3, 2); // buckets of 2, end-aligned: [0] [1, 2]
    const r = readoutAt(series, w, 1)!;
    expect(r).toMatchObject({ time: '2025-08-04', timeTo: '2025-08-05', bars: 2, open: 12.9, close: 13.75, high: 13.78, low: 12.9, prevClose: 12.92 });
    expect(r.volume).toBe(99782728 + 133646594);
  });
});

describe('indicator readout', () => {
  const macd = view(0, 'tdx', 'MACD', { dif: [null, 0.1, 0.12345], dea: [null, 0.09, 0.1], macd: [null, 0.02, 0.04691] });
  const ma = view(1, 'tdx', 'MA', { ma: [null, 13.02, 13.44] }, { period: 2 });
  const fmt = { priceDigits: null, locale: 'zh-CN' };

  it('names the indicator with its parameters, then each output at the bar', () => {
    const w = buildWindow(series, 0, 3, 100);
    expect(indicatorReadoutText(macd, indicatorValuesAt(macd, w, 2, 'zh'), fmt)).toBe('MACD(12,26,9) DIF 0.123 DEA 0.100 MACD 0.047');
    expect(indicatorReadoutText(ma, indicatorValuesAt(ma, w, 2, 'en'), { priceDigits: 2, locale: 'en' })).toBe('MA(2) 13.44'); // one output: no label
  });

  it('shows dashes during the warm-up, before the values arrived, and off the window', () => {
    const w = buildWindow(series, 0, 3, 100);
    expect(indicatorReadoutText(macd, indicatorValuesAt(macd, w, 0, 'zh'), fmt)).toBe('MACD(12,26,9) DIF — DEA — MACD —');
    const loading = view(0, 'tdx', 'MACD', null);
    expect(indicatorValuesAt(loading, w, 2, 'zh').map((v) => v.value)).toEqual([null, null, null]);
    expect(indicatorValuesAt(macd, w, 7, 'zh').map((v) => v.value)).toEqual([null, null, null]);
    expect(indicatorValuesAt(macd, null, 0, 'zh').map((v) => v.value)).toEqual([null, null, null]);
  });

  it('labels the outputs in the UI language', () => {
    const boll = view(0, 'tdx', 'BOLL', { mid: [1, 2, 3], upper: [2, 3, 4], lower: [0, 1, 2] });
    const w = buildWindow(series, 0, 3, 100);
    expect(indicatorValuesAt(boll, w, 2, 'zh').map((v) => v.label)).toEqual(['中轨', '上轨', '下轨']);
    expect(indicatorValuesAt(boll, w, 2, 'en').map((v) => v.label)).toEqual(['Middle', 'Upper', 'Lower']);
  });

  it('reads a bucket as drawn: a line at its last bar, a histogram at its largest', () => {
    const w = buildWindow(series, 0, 3, 2); // [0] [1, 2]
    const values = indicatorValuesAt(view(0, 'tdx', 'MACD', { dif: [1, 2, 3], dea: [1, 1, 1], macd: [0, -0.5, 0.2] }), w, 1, 'zh');
    expect(values.map((v) => v.value)).toEqual([3, 1, -0.5]);
  });
});
