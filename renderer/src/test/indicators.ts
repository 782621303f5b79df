/** Test fixtures: a registry shaped like the server's (a subset of both conventions) and chart views. */
import type { Convention, IndicatorMeta, IndicatorParamMeta } from '@/api/indicators';
import type { AlignedOutputs } from '@/features/indicators/align';
import { IndicatorCatalog, indicatorTitle, resolveParams, useKey } from '@/features/indicators/catalog';
import type { IndicatorView } from '@/features/market/chart/panes';

const text = (zh: string, en = zh) => ({ zh, en });
const int = (name: string, value: number, min = 1, max = 1000): IndicatorParamMeta => ({ name, label: text(name), type: 'integer', default: value, min, max });
const real = (name: string, value: number, min = 0.01, max = 10): IndicatorParamMeta => ({ name, label: text(name), type: 'number', default: value, min, max });
const line = (name: string, zh = name.toUpperCase(), en = zh) => ({ name, label: text(zh, en), style: 'line' as const });
const bars = (name: string, zh = name.toUpperCase(), en = zh) => ({ name, label: text(zh, en), style: 'histogram' as const });

function meta(
  convention: Convention,
  name: string,
  category: IndicatorMeta['category'],
  pane: IndicatorMeta['pane'],
  params: IndicatorParamMeta[],
  outputs: IndicatorMeta['outputs'],
  label = text(name),
): IndicatorMeta {
  return { name, convention, label, category, pane, inputs: ['close'], params, outputs, formula: name };
}

export const REGISTRY: IndicatorMeta[] = [
  meta('talib', 'SMA', 'trend', 'overlay', [int('period', 20, 2)], [line('sma')], text('简单移动平均', 'Simple moving average')),
  meta('talib', 'EMA', 'trend', 'overlay', [int('period', 20, 2)], [line('ema')], text('指数移动平均', 'Exponential moving average')),
  meta('talib', 'BBANDS', 'volatility', 'overlay', [int('period', 20, 2), real('nbDevUp', 2), real('nbDevDn', 2)], [line('upper', '上轨', 'Upper'), line('middle', '中轨', 'Middle'), line('lower', '下轨', 'Lower')], text('布林带', 'Bollinger bands')),
  meta('talib', 'MACD', 'momentum', 'oscillator', [int('fast', 12, 2, 500), int('slow', 26, 2, 500), int('signal', 9, 1, 500)], [line('macd', 'MACD'), line('signal', 'Signal'), bars('hist', 'Hist')]),
  meta('talib', 'STOCH', 'momentum', 'oscillator', [int('fastK', 9, 1, 500), int('slowK', 3, 1, 500), int('slowD', 3, 1, 500)], [line('k', '%K'), line('d', '%D')]),
  meta('talib', 'WILLR', 'momentum', 'oscillator', [int('period', 14, 2)], [line('willr')]),
  meta('talib', 'ATR', 'volatility', 'oscillator', [int('period', 14)], [line('atr')], text('真实波幅均值', 'Average true range')),
  meta('talib', 'VOL', 'volume', 'oscillator', [int('ma1', 5, 2, 500), int('ma2', 10, 2, 500)], [bars('volume', '成交量', 'Volume'), line('ma1', 'MAVOL1'), line('ma2', 'MAVOL2')]),
  meta('tdx', 'MA', 'trend', 'overlay', [int('period', 5)], [line('ma')], text('简单移动平均', 'Moving average')),
  meta('tdx', 'EMA', 'trend', 'overlay', [int('period', 12)], [line('ema')]),
  meta('tdx', 'SMA', 'trend', 'overlay', [int('n', 3), int('m', 1)], [line('sma')], text('扩展指数加权移动平均', 'SMA(X,N,M)')),
  meta('tdx', 'BOLL', 'volatility', 'overlay', [int('period', 20, 2, 500), real('k', 2)], [line('mid', '中轨', 'Middle'), line('upper', '上轨', 'Upper'), line('lower', '下轨', 'Lower')], text('布林线', 'Bollinger bands')),
  meta('tdx', 'MACD', 'momentum', 'oscillator', [int('fast', 12, 1, 500), int('slow', 26, 1, 500), int('signal', 9, 1, 500)], [line('dif', 'DIF'), line('dea', 'DEA'), bars('macd', 'MACD')], text('平滑异同移动平均', 'MACD')),
  meta('tdx', 'KDJ', 'momentum', 'oscillator', [int('n', 9, 1, 500), int('m1', 3, 1, 100), int('m2', 3, 1, 100)], [line('k', 'K'), line('d', 'D'), line('j', 'J')], text('随机指标', 'KDJ')),
  meta('tdx', 'WR', 'momentum', 'oscillator', [int('period', 10)], [line('wr')], text('威廉指标', 'Williams %R')),
  meta('tdx', 'DMA', 'trend', 'oscillator', [int('n1', 10, 1, 500), int('n2', 50, 1, 500), int('m', 10, 1, 500)], [line('ddd'), line('ama')], text('平行线差', 'Different of moving averages')),
  meta('tdx', 'VOL', 'volume', 'oscillator', [int('ma1', 5, 1, 500), int('ma2', 10, 1, 500)], [bars('volume', '成交量', 'Volume'), line('ma1', 'MAVOL1'), line('ma2', 'MAVOL2')], text('成交量', 'Volume')),
];

export const CATALOG = new IndicatorCatalog(REGISTRY);

/** A chart view of `name` with these outputs (values as given, NaN for null). */
export function view(
  index: number,
  convention: Convention,
  name: string,
  outputs: Record<string, (number | null)[]> | null,
  params?: Record<string, number>,
  extra: Partial<IndicatorView> = {},
): IndicatorView {
  const m = CATALOG.find(name, convention) ?? null;
  const aligned: AlignedOutputs | null = outputs
    ? Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, Float64Array.from(v, (x) => (x === null ? Number.NaN : x))]))
    : null;
  return {
    index,
    key: useKey({ name, params }, convention, CATALOG),
    name,
    convention,
    meta: m,
    params: m ? resolveParams(m, params) : { ...params },
    title: indicatorTitle(name, m ?? undefined, params),
    outputs: aligned,
    loading: false,
    error: null,
    ...extra,
  };
}
