/** The score chart of the assessment page: one line per department over the months (ECharts, loaded on demand). */
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Trends } from '../../api/assessment.js';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function scoreChart(box: HTMLElement, trends: Trends): { dispose(): void; resize(): void } {
  box.replaceChildren();
  const chart = echarts.init(box, undefined, { renderer: 'canvas' });
  const names = new Map<string, string>();
  for (const m of trends.months) for (const d of m.departments) names.set(d.departmentId, d.name ?? d.departmentId);
  const series = [...names.entries()].map(([id, name]) => ({
    name,
    type: 'line' as const,
    connectNulls: true,
    data: trends.months.map((m) => m.departments.find((d) => d.departmentId === id)?.score ?? null),
  }));
  chart.setOption({
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: trends.months.map((m) => m.month) },
    yAxis: { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10), max: 100 },
    series,
  });
  return chart;
}
