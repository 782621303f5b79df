/**
 * Properties of the risk metrics (server/src/engine/risk, docs/RISK.md) over generated books and
 * return series: HHI ∈ [1/n, 1] and 1/HHI ∈ [1, n]; CVaR ≤ VaR and VaR(99 %) ≤ VaR(95 %), historical
 * and normal; a report with gaps anywhere is all finite numbers or null. fast-check lives here, not
 * beside the engine: engine tests may import only vitest (scripts/eslint/layers.js).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeRisk, concentration, historicalCvar, historicalVar, parametricCvar, parametricVar, valueWeights } from '../../server/src/engine/risk';

const EPS = 1e-12;
const dailyReturn = fc.double({ min: -0.2, max: 0.2, noNaN: true });
const returnSeries = fc.array(dailyReturn, { minLength: 2, maxLength: 300 });

describe('risk metric properties', () => {
  it('HHI is in [1/n, 1] and the effective number in [1, n] for n positions with value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1e12 }), { minLength: 1, maxLength: 60 }), (values) => {
        const c = concentration(values.map((_, i) => `S${i}`), valueWeights(values));
        const n = values.length;
        expect(c.hhi!).toBeGreaterThanOrEqual(1 / n - EPS);
        expect(c.hhi!).toBeLessThanOrEqual(1 + EPS);
        expect(c.effectiveN!).toBeGreaterThanOrEqual(1 - EPS);
        expect(c.effectiveN!).toBeLessThanOrEqual(n * (1 + EPS));
        expect(c.maxWeight!).toBeGreaterThanOrEqual(1 / n - EPS);
      }),
      { numRuns: 300, seed: 20_261_205 },
    );
  });

  it('CVaR ≤ VaR, and VaR at 99 % ≤ VaR at 95 % (returns: more confidence, a deeper tail)', () => {
    fc.assert(
      fc.property(returnSeries, (r) => {
        for (const cutoff of [0.05, 0.01]) {
          expect(historicalCvar(r, cutoff)!).toBeLessThanOrEqual(historicalVar(r, cutoff)! + EPS);
          expect(parametricCvar(r, cutoff)!).toBeLessThanOrEqual(parametricVar(r, cutoff)! + EPS);
        }
        expect(historicalVar(r, 0.01)!).toBeLessThanOrEqual(historicalVar(r, 0.05)! + EPS);
        expect(parametricVar(r, 0.01)!).toBeLessThanOrEqual(parametricVar(r, 0.05)! + EPS);
        expect(historicalCvar(r, 0.01)!).toBeLessThanOrEqual(historicalCvar(r, 0.05)! + EPS);
      }),
      { numRuns: 300, seed: 20_261_205 },
    );
  });

  it('a book with gaps anywhere gives finite numbers or null, never NaN', () => {
    const days = 30;
    const dates = Array.from({ length: days }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
    const close = fc.oneof({ weight: 5, arbitrary: fc.double({ min: 0.5, max: 2000, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });
    const position = fc.record({
      quantity: fc.integer({ min: 0, max: 100_000 }),
      lastPrice: fc.integer({ min: 1, max: 500_000 }),
      closes: fc.array(close, { minLength: days, maxLength: days }),
      industry: fc.option(fc.constantFrom('银行', '食品饮料', '电子', ''), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(position, { maxLength: 8 }), fc.option(fc.array(close, { minLength: days, maxLength: days })), (positions, index) => {
        const report = computeRisk({ dates, positions: positions.map((p, i) => ({ ...p, symbol: `S${i}` })), index });
        const walk = (v: unknown): void => {
          if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
          else if (ArrayBuffer.isView(v)) (v as Float64Array).forEach(walk);
          else if (Array.isArray(v)) v.forEach(walk);
          else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
        };
        walk(report);
        if (report.concentration.hhi !== null) expect(report.concentration.hhi).toBeLessThanOrEqual(1 + EPS);
      }),
      { numRuns: 200, seed: 20_261_205 },
    );
  });
});
