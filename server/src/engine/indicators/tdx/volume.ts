/**
 * Volume indicators in the TDX (通达信) formula language: OBV and VR.
 */
import { intParam, output } from '../problem';
import { barCount, maOf, RunningSum } from './primitives';

export interface Obv {
  obv: Float64Array;
  maobv: Float64Array;
}

/**
 * OBV(M), 累积能量线:
 * ```
 * OBV:SUM(IF(CLOSE>REF(CLOSE,1),VOL,IF(CLOSE<REF(CLOSE,1),-VOL,0)),0);
 * MAOBV:MA(OBV,M);
 * ```
 * Warm-up: the signed volume needs the previous close, so OBV starts at bar 1 (with ±VOL of bar 1
 * or 0; bar 0's volume is not counted) and MAOBV at bar M. The running total is compensated so a
 * long minute series cannot drift. No division by a data value.
 * Params: m ≥ 1.
 */
export function obv(close: Float64Array, volume: Float64Array, m = 30): Obv {
  const start = obvStart(m);
  const length = barCount({ close, volume });
  const out = output(length);
  const total = new RunningSum();
  for (let i = start.obv; i < length; i++) {
    const c = close[i]!;
    const previous = close[i - 1]!;
    if (c > previous) total.add(volume[i]!);
    else if (c < previous) total.add(-volume[i]!);
    out[i] = total.value;
  }
  return { obv: out, maobv: maOf(out, m) };
}

/** First bars with OBV and MAOBV. */
export function obvStart(m = 30): { obv: number; maobv: number } {
  intParam('m', m, 1);
  return { obv: 1, maobv: m };
}

export interface Vr {
  vr: Float64Array;
  mavr: Float64Array;
}

/**
 * VR(N, M), 成交量变异率:
 * ```
 * TH:=SUM(IF(CLOSE>REF(CLOSE,1),VOL,0),N);
 * TL:=SUM(IF(CLOSE<REF(CLOSE,1),VOL,0),N);
 * TQ:=SUM(IF(CLOSE=REF(CLOSE,1),VOL,0),N);
 * VR:100*(TH*2+TQ)/(TL*2+TQ);
 * MAVR:MA(VR,M);
 * ```
 * Warm-up: the split needs the previous close (bar 1 on), so VR starts at bar N and MAVR at
 * N + M − 1.
 * Zero division: TL·2 + TQ = 0 means no volume on down or unchanged bars in the window. With no
 * volume at all (TH = 0 too) VR is 100, the even ratio; with up volume only (a run of N rising bars,
 * e.g. a streak of limit-up boards) the ratio is unbounded and VR is NaN: no value is drawn, and
 * MAVR is NaN while such a bar is in its window. This is the one indicator here that can be NaN
 * after its warm-up.
 * Params: n ≥ 1, m ≥ 1.
 */
export function vr(close: Float64Array, volume: Float64Array, n = 26, m = 6): Vr {
  const start = vrStart(n, m);
  const length = barCount({ close, volume });
  const out = output(length);
  const up = new RunningSum();
  const down = new RunningSum();
  const flat = new RunningSum();
  // Bars with volume in each sum: a compensated sum whose values have all left the window can
  // still hold a residue of 1e-30 or so, and dividing by that would be garbage, not a zero test.
  let upBars = 0;
  let downBars = 0;
  let flatBars = 0;
  // Each bar's volume goes into exactly one of the three sums, by the sign of its change.
  const route = (i: number, sign: 1 | -1): void => {
    const v = volume[i]!;
    if (v === 0) return;
    const change = close[i]! - close[i - 1]!;
    if (change > 0) {
      up.add(sign * v);
      upBars += sign;
    } else if (change < 0) {
      down.add(sign * v);
      downBars += sign;
    } else {
      flat.add(sign * v);
      flatBars += sign;
    }
  };
  for (let i = 1; i < length; i++) {
    route(i, 1);
    if (i > n) route(i - n, -1);
    if (i < start.vr) continue;
    const th = upBars === 0 ? 0 : up.value;
    const tl = downBars === 0 ? 0 : down.value;
    const tq = flatBars === 0 ? 0 : flat.value;
    const numerator = th * 2 + tq;
    const denominator = tl * 2 + tq;
    if (denominator !== 0) out[i] = (100 * numerator) / denominator;
    else if (numerator === 0) out[i] = 100;
  }
  return { vr: out, mavr: maOf(out, m) };
}

/** First bars with VR and MAVR (VR can still be NaN later; see `vr`). */
export function vrStart(n = 26, m = 6): { vr: number; mavr: number } {
  intParam('n', n, 1);
  intParam('m', m, 1);
  return { vr: n, mavr: n + m - 1 };
}
