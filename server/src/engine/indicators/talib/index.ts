/**
 * TA-Lib-convention indicator kernels: pure functions over Float64Array columns returning columns
 * of the same length, NaN until TA-Lib's begIdx. Each kernel has a `…Lookback` function that checks
 * the parameters (IndicatorProblem 'parameter') and returns that begIdx; an input no longer than
 * the lookback gives all-NaN output.
 */
export { MA_EMA, MA_SMA, type MaType } from './common';
export {
  dema,
  demaLookback,
  ema,
  emaLookback,
  kama,
  kamaLookback,
  ma,
  maLookback,
  sma,
  smaLookback,
  tema,
  temaLookback,
  trima,
  trimaLookback,
  wma,
  wmaLookback,
} from './moving-averages';
export { macd, macdLookback, type MacdOutput } from './macd';
export { bbands, bbandsLookback, stddev, stddevLookback, type BbandsOutput } from './bbands';
export { sar, sarLookback } from './sar';
export { adx, adxLookback, minusDi, minusDiLookback, plusDi, plusDiLookback } from './directional';
export {
  cci,
  cciLookback,
  mfi,
  mfiLookback,
  mom,
  momLookback,
  roc,
  rocLookback,
  rsi,
  rsiLookback,
  stoch,
  stochf,
  stochfLookback,
  stochLookback,
  stochRsi,
  stochRsiLookback,
  trix,
  trixLookback,
  willr,
  willrLookback,
  type StochOutput,
} from './oscillators';
export { atr, atrLookback, natr, natrLookback, trange, trangeLookback } from './volatility';
export {
  ad,
  adLookback,
  adosc,
  adoscLookback,
  obv,
  obvLookback,
  volumeMa,
  volumeMaLookback,
  vwap,
  vwapLookback,
} from './volume';
