/**
 * The ECharts registry: only the parts the app uses are bundled (tree-shaken `echarts/core`).
 * Add a chart type or component here when a feature needs it, and to `ChartOption` below.
 */
import * as echarts from 'echarts/core';
import {
  BarChart,
  CandlestickChart,
  HeatmapChart,
  LineChart,
  type BarSeriesOption,
  type CandlestickSeriesOption,
  type HeatmapSeriesOption,
  type LineSeriesOption,
} from 'echarts/charts';
import {
  AxisPointerComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  type AxisPointerComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  CandlestickChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  AxisPointerComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | LineSeriesOption
  | CandlestickSeriesOption
  | BarSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | AxisPointerComponentOption
  | VisualMapComponentOption
>;

export { echarts };
