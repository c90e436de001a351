/**
 * The trend chart, drawn with only the parts of ECharts it uses (core, bar and line charts, grid,
 * tooltip, legend, canvas renderer); the board loads this module by dynamic import when it first shows a trend.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Trends } from '../../api/board.js';

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface TrendLabels {
  started: string;
  met: string;
  late: string;
  breached: string;
  onTime: string;
}

export interface TrendChart {
  draw(trends: Trends, labels: TrendLabels): void;
  resize(): void;
  dispose(): void;
}

export function trendChart(container: HTMLElement): TrendChart {
  const chart = init(container, undefined, { renderer: 'canvas' });
  let last: [Trends, TrendLabels] | undefined;
  const self: TrendChart = {
    draw(t, labels) {
      last = [t, labels];
      const x = t.buckets.map((b) => (t.granularity === 'week' ? b.bucket.slice(5) + '周' : b.bucket.slice(5)));
      chart.setOption(
        {
          animation: false,
          tooltip: { trigger: 'axis' },
          legend: { top: 0, textStyle: { fontSize: 12 } },
          grid: { left: 40, right: 44, top: container.clientWidth < 560 ? 62 : 34, bottom: 28 },
          xAxis: { type: 'category', data: x, axisLabel: { fontSize: 11 } },
          yAxis: [
            { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
            { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: 11 }, splitLine: { show: false } },
          ],
          series: [
            { name: labels.started, type: 'bar', data: t.buckets.map((b) => b.started), itemStyle: { color: '#9db8d9' } },
            { name: labels.met, type: 'bar', data: t.buckets.map((b) => b.met), itemStyle: { color: '#1e7d3a' } },
            { name: labels.late, type: 'bar', data: t.buckets.map((b) => b.late), itemStyle: { color: '#d97706' } },
            { name: labels.breached, type: 'line', data: t.buckets.map((b) => b.breached), itemStyle: { color: '#b42318' } },
            {
              name: labels.onTime,
              type: 'line',
              yAxisIndex: 1,
              connectNulls: true,
              data: t.buckets.map((b) => (b.onTimeRate === null ? null : Math.round(b.onTimeRate * 1000) / 10)),
              itemStyle: { color: '#0b5cad' },
              lineStyle: { type: 'dashed' },
            },
          ],
        },
        true,
      );
    },
    resize() {
      chart.resize();
      if (last) self.draw(...last); // the legend may wrap on a narrow screen: more room above the grid
    },
    dispose: () => chart.dispose(),
  };
  return self;
}
