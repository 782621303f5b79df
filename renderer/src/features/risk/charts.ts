/** Exposure bar charts of the risk metrics, as BaseChart options. Pure, tested. */
import type { ChartOption } from '@/plugins/echarts';

export interface Exposure {
  label: string;
  /** Fraction of the book (0–1). */
  weight: number;
}

/** Horizontal bars, largest on top, labelled in percent. */
export function exposureOption(items: readonly Exposure[], color: string, textColor: string): ChartOption {
  const sorted = [...items].sort((a, b) => a.weight - b.weight);
  return {
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${(Number(v) * 100).toFixed(2)}%` },
    xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, color: textColor }, splitLine: { show: false } },
    yAxis: { type: 'category', data: sorted.map((i) => i.label), axisLabel: { color: textColor } },
    series: [
      {
        type: 'bar',
        data: sorted.map((i) => i.weight),
        itemStyle: { color },
        barMaxWidth: 18,
        label: { show: true, position: 'right', color: textColor, formatter: (p) => `${(Number(p.value) * 100).toFixed(1)}%` },
      },
    ],
  };
}
