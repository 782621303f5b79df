/**
 * Indicator kernels with the TDX (通达信) / 同花顺 formula-language conventions: recursive averages
 * seeded with the first value, REF-based series starting at bar 1, sample STD, and a stated rule for
 * every division that can meet zero. Pure functions over Float64Array columns; each output has the
 * input's length, NaN during warm-up; each indicator has a `…Start` helper giving its first bar.
 */
export { ema, emaStart, ma, maStart, sma, smaStart } from './moving';
export { asi, asiStart, dma, dmaStart, macd, macdStart, trix, trixStart, type Asi, type Dma, type Macd, type Trix } from './trend';
export {
  bias,
  biasStart,
  cci,
  cciStart,
  kdj,
  kdjStart,
  psy,
  psyStart,
  rsi,
  rsiStart,
  wr,
  wrStart,
  type Kdj,
  type Psy,
} from './oscillators';
export { boll, bollStart, type Boll } from './bands';
export { obv, obvStart, vr, vrStart, type Obv, type Vr } from './volume';
