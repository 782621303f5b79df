import { describe, expect, it } from 'vitest';
import { resolveStrategyParams } from '../strategy';
import { findStrategy, STRATEGIES } from './index';
import { runStrategy, syntheticBars } from './testing';

const data = [
  { symbol: '600000.SH', bars: syntheticBars(300, 1) },
  { symbol: '000001.SZ', bars: syntheticBars(300, 2, 20) },
  { symbol: '688001.SH', bars: syntheticBars(300, 3, 40) },
];

describe('the built-in strategies', () => {
  it('have unique ids and include dual-ma', () => {
    const ids = STRATEGIES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['dual-ma', 'macd-cross', 'kdj', 'rsi-reversion', 'bollinger-breakout', 'donchian-turtle', 'equal-weight-rebalance']);
    expect(findStrategy('kdj')?.id).toBe('kdj');
    expect(findStrategy('nope')).toBeUndefined();
  });

  it.each(STRATEGIES.map((s) => [s.id, s] as const))('%s has a valid schema and presets that resolve', (_id, def) => {
    expect(def.name.zh && def.name.en && def.description.zh && def.description.en).toBeTruthy();
    const names = def.params.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of def.params) {
      expect(p.label.zh && p.label.en).toBeTruthy();
      expect(p.min).toBeLessThanOrEqual(p.default);
      expect(p.default).toBeLessThanOrEqual(p.max);
      if (p.type === 'integer') expect([p.min, p.default, p.max].every(Number.isInteger)).toBe(true);
    }
    expect(() => def.create(resolveStrategyParams(def))).not.toThrow();
    expect(def.presets.length).toBeGreaterThan(0);
    expect(new Set(def.presets.map((p) => p.name)).size).toBe(def.presets.length);
    for (const preset of def.presets) {
      const params = resolveStrategyParams(def, preset.params);
      expect(() => def.create(params)).not.toThrow();
    }
  });

  it.each(STRATEGIES.map((s) => [s.id, s] as const))('%s runs 300 synthetic bars of three symbols deterministically', (_id, def) => {
    for (const preset of [{}, ...def.presets.map((p) => p.params)]) {
      const first = runStrategy(def, preset, data);
      const second = runStrategy(def, preset, data);
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      expect(first.steps).toBe(300);
      expect(first.positions.every((p) => p.quantity >= 0)).toBe(true);
      expect(first.finalCashFen).toBeGreaterThanOrEqual(0);
    }
    // The defaults trade at least once on this series.
    expect(runStrategy(def, {}, data).fills.length).toBeGreaterThan(0);
  });
});
