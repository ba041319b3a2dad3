import { HeatmapChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { zhImpact as t } from '../../i18n/impact.zh-CN';

// only what the chart uses; AriaComponent describes the canvas to screen readers (the numbers are also in a table)
echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, AriaComponent, CanvasRenderer]);

/** The 等次 transition matrix as a heat map: before in rows (best on top), after in columns. */
export function TransitionHeatmap({
  before,
  after,
  transitions,
}: {
  before: string[];
  after: string[];
  transitions: Record<string, Record<string, number>>;
}) {
  const data: Array<[number, number, number]> = [];
  let max = 0;
  before.forEach((from, y) =>
    after.forEach((to, x) => {
      const n = transitions[from]?.[to] ?? 0;
      max = Math.max(max, n);
      data.push([x, y, n]);
    }),
  );
  const cells = before
    .flatMap((from) => after.map((to) => t.matrix.cell(from, to, transitions[from]?.[to] ?? 0)))
    .join('，');
  const option = {
    aria: { enabled: true, label: { description: t.matrix.chartLabel(cells) } },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        t.matrix.cell(before[p.value[1]], after[p.value[0]], p.value[2]),
    },
    grid: { left: 56, right: 16, top: 36, bottom: 16 },
    xAxis: {
      type: 'category',
      position: 'top',
      data: after,
      name: '新等次',
      nameLocation: 'middle',
      nameGap: 24,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: before,
      inverse: true,
      name: '原等次',
      nameLocation: 'middle',
      nameGap: 36,
      splitArea: { show: true },
    },
    visualMap: {
      show: false,
      min: 0,
      max: Math.max(1, max),
      inRange: { color: ['#f5f8fc', '#1d4f91'] },
    },
    series: [
      {
        type: 'heatmap',
        name: '部门数',
        data,
        label: { show: true, fontSize: 14 },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: '#faad14' } },
      },
    ],
  };
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 240 }} notMerge />;
}
