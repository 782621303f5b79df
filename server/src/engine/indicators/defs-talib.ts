/**
 * The TA-Lib convention's registry entries (the default convention): TA-Lib 0.4 function names,
 * parameters and ranges (capped where larger values make no sense on a chart), SMA as the moving
 * average wherever TA-Lib takes an MA type.
 */
import { bars, defineIndicator, intDef, line, realDef, text, type IndicatorDef, type ParamDef } from './registry';
import * as ta from './talib';

const period = (value: number, min = 2, max = 1000): ParamDef<'period'> => intDef('period', '周期', 'Period', value, min, max);
const fast = (value: number) => intDef('fast', '快线周期', 'Fast period', value, 2, 500);
const slow = (value: number) => intDef('slow', '慢线周期', 'Slow period', value, 2, 500);

/** A single-input, single-output moving average. */
function movingAverage(name: string, zh: string, en: string, value: number, kernel: (x: Float64Array, p: number) => Float64Array, lookback: (p: number) => number): IndicatorDef {
  const output = name.toLowerCase();
  return defineIndicator({
    name,
    convention: 'talib',
    label: text(zh, en),
    category: 'trend',
    pane: 'overlay',
    inputs: ['close'],
    params: [period(value)],
    outputs: [line(output, name, name)],
    formula: `TA_${name}(close, period)`,
    start: (p) => lookback(p.period),
    compute: (c, p) => ({ [output]: kernel(c.close, p.period) }),
  });
}

/** A close-only oscillator with one period and one output. */
function oscillator(name: string, zh: string, en: string, value: number, min: number, kernel: (x: Float64Array, p: number) => Float64Array, lookback: (p: number) => number): IndicatorDef {
  const output = name.toLowerCase();
  return defineIndicator({
    name,
    convention: 'talib',
    label: text(zh, en),
    category: 'momentum',
    pane: 'oscillator',
    inputs: ['close'],
    params: [period(value, min)],
    outputs: [line(output, name, name)],
    formula: `TA_${name}(close, period)`,
    start: (p) => lookback(p.period),
    compute: (c, p) => ({ [output]: kernel(c.close, p.period) }),
  });
}

/** A high/low/close indicator with one period and one output. */
function hlc(name: string, zh: string, en: string, category: IndicatorDef['category'], value: number, min: number, kernel: (h: Float64Array, l: Float64Array, c: Float64Array, p: number) => Float64Array, lookback: (p: number) => number): IndicatorDef {
  const output = name.toLowerCase();
  return defineIndicator({
    name,
    convention: 'talib',
    label: text(zh, en),
    category,
    pane: 'oscillator',
    inputs: ['high', 'low', 'close'],
    params: [period(value, min)],
    outputs: [line(output, name, name)],
    formula: `TA_${name}(high, low, close, period)`,
    start: (p) => lookback(p.period),
    compute: (c, p) => ({ [output]: kernel(c.high, c.low, c.close, p.period) }),
  });
}

/** Σamount / Σvolume when every traded bar has an amount, else typical price × volume (see talib/volume.ts). */
function hasAmounts(volume: Float64Array, amount: Float64Array): boolean {
  for (let i = 0; i < volume.length; i++) if (volume[i]! > 0 && !(amount[i]! > 0)) return false;
  return true;
}

export const TALIB_DEFS: readonly IndicatorDef[] = [
  movingAverage('SMA', '简单移动平均', 'Simple moving average', 20, ta.sma, ta.smaLookback),
  movingAverage('EMA', '指数移动平均', 'Exponential moving average', 20, ta.ema, ta.emaLookback),
  movingAverage('WMA', '加权移动平均', 'Weighted moving average', 20, ta.wma, ta.wmaLookback),
  movingAverage('DEMA', '双重指数移动平均', 'Double EMA', 20, ta.dema, ta.demaLookback),
  movingAverage('TEMA', '三重指数移动平均', 'Triple EMA', 20, ta.tema, ta.temaLookback),
  movingAverage('TRIMA', '三角移动平均', 'Triangular moving average', 20, ta.trima, ta.trimaLookback),
  movingAverage('KAMA', '考夫曼自适应均线', 'Kaufman adaptive moving average', 30, ta.kama, ta.kamaLookback),
  defineIndicator({
    name: 'BBANDS',
    convention: 'talib',
    label: text('布林带', 'Bollinger bands'),
    category: 'volatility',
    pane: 'overlay',
    inputs: ['close'],
    params: [period(20), realDef('nbDevUp', '上轨倍数', 'Upper deviations', 2, 0.01, 10), realDef('nbDevDn', '下轨倍数', 'Lower deviations', 2, 0.01, 10)],
    outputs: [line('upper', '上轨', 'Upper'), line('middle', '中轨', 'Middle'), line('lower', '下轨', 'Lower')],
    formula: 'TA_BBANDS(close, period, nbDevUp, nbDevDn, SMA) {population standard deviation}',
    start: (p) => ta.bbandsLookback(p.period, p.nbDevUp, p.nbDevDn, ta.MA_SMA),
    compute: (c, p) => ({ ...ta.bbands(c.close, p.period, p.nbDevUp, p.nbDevDn, ta.MA_SMA) }),
  }),
  defineIndicator({
    name: 'SAR',
    convention: 'talib',
    label: text('抛物线转向', 'Parabolic SAR'),
    category: 'trend',
    pane: 'overlay',
    inputs: ['high', 'low'],
    params: [realDef('acceleration', '加速因子', 'Acceleration', 0.02, 0.001, 1), realDef('maximum', '最大加速', 'Maximum', 0.2, 0.001, 1)],
    outputs: [line('sar', 'SAR', 'SAR')],
    formula: 'TA_SAR(high, low, acceleration, maximum)',
    start: (p) => ta.sarLookback(p.acceleration, p.maximum),
    compute: (c, p) => ({ sar: ta.sar(c.high, c.low, p.acceleration, p.maximum) }),
  }),
  defineIndicator({
    name: 'VWAP',
    convention: 'talib',
    label: text('成交量加权均价', 'Volume-weighted average price'),
    category: 'volume',
    pane: 'overlay',
    inputs: ['high', 'low', 'close', 'volume', 'amount'],
    params: [],
    outputs: [line('vwap', 'VWAP', 'VWAP')],
    formula: 'Σamount/Σvolume from the first bar (Σ((H+L+C)/3×volume)/Σvolume when amounts are missing); not a TA-Lib function',
    start: () => ta.vwapLookback(),
    compute: (c) => ({ vwap: hasAmounts(c.volume, c.amount) ? ta.vwap(c.high, c.low, c.close, c.volume, c.amount) : ta.vwap(c.high, c.low, c.close, c.volume) }),
  }),
  defineIndicator({
    name: 'MACD',
    convention: 'talib',
    label: text('平滑异同移动平均', 'MACD'),
    category: 'momentum',
    pane: 'oscillator',
    inputs: ['close'],
    params: [fast(12), slow(26), intDef('signal', '信号周期', 'Signal period', 9, 1, 500)],
    outputs: [line('macd', 'MACD', 'MACD'), line('signal', 'Signal', 'Signal'), bars('hist', 'Hist', 'Hist')],
    formula: 'TA_MACD(close, fast, slow, signal) {hist = macd − signal, not doubled}',
    start: (p) => ta.macdLookback(p.fast, p.slow, p.signal),
    compute: (c, p) => ({ ...ta.macd(c.close, p.fast, p.slow, p.signal) }),
  }),
  oscillator('RSI', '相对强弱指标', 'Relative strength index', 14, 2, ta.rsi, ta.rsiLookback),
  defineIndicator({
    name: 'STOCH',
    convention: 'talib',
    label: text('随机指标', 'Stochastic'),
    category: 'momentum',
    pane: 'oscillator',
    inputs: ['high', 'low', 'close'],
    params: [intDef('fastK', '%K周期', 'Fast %K period', 9, 1, 500), intDef('slowK', '慢%K周期', 'Slow %K period', 3, 1, 500), intDef('slowD', '慢%D周期', 'Slow %D period', 3, 1, 500)],
    outputs: [line('k', '%K', '%K'), line('d', '%D', '%D')],
    formula: 'TA_STOCH(high, low, close, fastK, slowK, SMA, slowD, SMA)',
    start: (p) => ta.stochLookback(p.fastK, p.slowK, ta.MA_SMA, p.slowD, ta.MA_SMA),
    compute: (c, p) => ({ ...ta.stoch(c.high, c.low, c.close, p.fastK, p.slowK, ta.MA_SMA, p.slowD, ta.MA_SMA) }),
  }),
  defineIndicator({
    name: 'STOCHRSI',
    convention: 'talib',
    label: text('随机相对强弱', 'Stochastic RSI'),
    category: 'momentum',
    pane: 'oscillator',
    inputs: ['close'],
    params: [period(14), intDef('fastK', '%K周期', 'Fast %K period', 5, 1, 500), intDef('fastD', '%D周期', 'Fast %D period', 3, 1, 500)],
    outputs: [line('k', '%K', '%K'), line('d', '%D', '%D')],
    formula: 'TA_STOCHRSI(close, period, fastK, fastD, SMA)',
    start: (p) => ta.stochRsiLookback(p.period, p.fastK, p.fastD, ta.MA_SMA),
    compute: (c, p) => ({ ...ta.stochRsi(c.close, p.period, p.fastK, p.fastD, ta.MA_SMA) }),
  }),
  hlc('CCI', '顺势指标', 'Commodity channel index', 'momentum', 14, 2, ta.cci, ta.cciLookback),
  defineIndicator({
    name: 'MFI',
    convention: 'talib',
    label: text('资金流量指标', 'Money flow index'),
    category: 'volume',
    pane: 'oscillator',
    inputs: ['high', 'low', 'close', 'volume'],
    params: [period(14)],
    outputs: [line('mfi', 'MFI', 'MFI')],
    formula: 'TA_MFI(high, low, close, volume, period)',
    start: (p) => ta.mfiLookback(p.period),
    compute: (c, p) => ({ mfi: ta.mfi(c.high, c.low, c.close, c.volume, p.period) }),
  }),
  hlc('WILLR', '威廉指标', 'Williams %R', 'momentum', 14, 2, ta.willr, ta.willrLookback),
  oscillator('ROC', '变动率', 'Rate of change', 10, 1, ta.roc, ta.rocLookback),
  oscillator('MOM', '动量', 'Momentum', 10, 1, ta.mom, ta.momLookback),
  oscillator('TRIX', '三重指数平滑变动率', 'TRIX', 30, 1, ta.trix, ta.trixLookback),
  hlc('ADX', '平均趋向指数', 'Average directional index', 'trend', 14, 2, ta.adx, ta.adxLookback),
  hlc('PLUS_DI', '上升方向线', 'Plus directional indicator', 'trend', 14, 2, ta.plusDi, ta.plusDiLookback),
  hlc('MINUS_DI', '下降方向线', 'Minus directional indicator', 'trend', 14, 2, ta.minusDi, ta.minusDiLookback),
  hlc('ATR', '真实波幅均值', 'Average true range', 'volatility', 14, 1, ta.atr, ta.atrLookback),
  hlc('NATR', '归一化真实波幅', 'Normalized ATR', 'volatility', 14, 2, ta.natr, ta.natrLookback),
  defineIndicator({
    name: 'TRANGE',
    convention: 'talib',
    label: text('真实波幅', 'True range'),
    category: 'volatility',
    pane: 'oscillator',
    inputs: ['high', 'low', 'close'],
    params: [],
    outputs: [line('trange', 'TR', 'TR')],
    formula: 'TA_TRANGE(high, low, close)',
    start: () => ta.trangeLookback(),
    compute: (c) => ({ trange: ta.trange(c.high, c.low, c.close) }),
  }),
  defineIndicator({
    name: 'STDDEV',
    convention: 'talib',
    label: text('标准差', 'Standard deviation'),
    category: 'volatility',
    pane: 'oscillator',
    inputs: ['close'],
    params: [period(20), realDef('nbDev', '倍数', 'Deviations', 1, 0.01, 10)],
    outputs: [line('stddev', 'STDDEV', 'STDDEV')],
    formula: 'TA_STDDEV(close, period, nbDev) {population}',
    start: (p) => ta.stddevLookback(p.period, p.nbDev),
    compute: (c, p) => ({ stddev: ta.stddev(c.close, p.period, p.nbDev) }),
  }),
  defineIndicator({
    name: 'OBV',
    convention: 'talib',
    label: text('能量潮', 'On-balance volume'),
    category: 'volume',
    pane: 'oscillator',
    inputs: ['close', 'volume'],
    params: [],
    outputs: [line('obv', 'OBV', 'OBV')],
    formula: 'TA_OBV(close, volume) {starts at the first volume}',
    start: () => 0,
    compute: (c) => ({ obv: ta.obv(c.close, c.volume) }),
  }),
  defineIndicator({
    name: 'AD',
    convention: 'talib',
    label: text('累积/派发线', 'Chaikin A/D line'),
    category: 'volume',
    pane: 'oscillator',
    inputs: ['high', 'low', 'close', 'volume'],
    params: [],
    outputs: [line('ad', 'AD', 'AD')],
    formula: 'TA_AD(high, low, close, volume)',
    start: () => 0,
    compute: (c) => ({ ad: ta.ad(c.high, c.low, c.close, c.volume) }),
  }),
  defineIndicator({
    name: 'ADOSC',
    convention: 'talib',
    label: text('佳庆摆动指标', 'Chaikin A/D oscillator'),
    category: 'volume',
    pane: 'oscillator',
    inputs: ['high', 'low', 'close', 'volume'],
    params: [fast(3), slow(10)],
    outputs: [line('adosc', 'ADOSC', 'ADOSC')],
    formula: 'TA_ADOSC(high, low, close, volume, fast, slow)',
    start: (p) => ta.adoscLookback(p.fast, p.slow),
    compute: (c, p) => ({ adosc: ta.adosc(c.high, c.low, c.close, c.volume, p.fast, p.slow) }),
  }),
  defineIndicator({
    name: 'VOL',
    convention: 'talib',
    label: text('成交量', 'Volume'),
    category: 'volume',
    pane: 'oscillator',
    inputs: ['volume'],
    params: [intDef('ma1', '均线1', 'MA 1', 5, 2, 500), intDef('ma2', '均线2', 'MA 2', 10, 2, 500)],
    outputs: [bars('volume', '成交量', 'Volume'), line('ma1', 'MAVOL1', 'MAVOL1'), line('ma2', 'MAVOL2', 'MAVOL2')],
    formula: 'volume, TA_SMA(volume, ma1), TA_SMA(volume, ma2)',
    start: () => 0,
    compute: (c, p) => ({ volume: c.volume, ma1: ta.volumeMa(c.volume, p.ma1), ma2: ta.volumeMa(c.volume, p.ma2) }),
  }),
];
