import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/lib/core';

// only what the chart uses (tree-shaken); AriaComponent gives the canvas a description for screen readers
echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

/** 等次分布 as bars; the numbers are also in a table beside it (a canvas alone hides them). */
export function GradeChart({ byGrade, title }: { byGrade: { grade: string; count: number }[]; title: string }) {
  const option = {
    aria: {
      enabled: true,
      label: { description: `${title}：${byGrade.map((g) => `${g.grade} ${g.count} 个部门`).join('，')}` },
    },
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: byGrade.map((g) => g.grade) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: '部门数',
        data: byGrade.map((g) => g.count),
        itemStyle: { color: '#1d4f91' },
        label: { show: true, position: 'top' },
        barMaxWidth: 48,
      },
    ],
  };
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 220 }} notMerge />;
}
