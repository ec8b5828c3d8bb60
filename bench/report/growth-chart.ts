import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import { SizeResults } from './results-report';

Chart.register(...registerables);

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** p95 latency of each scenario (API solid, floor dashed) against the dataset's session count. */
export function growthChartPng(results: SizeResults[]): Buffer {
  const canvas = createCanvas(900, 500);
  const names = [...new Set(results.flatMap((r) => r.scenarios.filter((s) => s.api).map((s) => s.name)))];
  const datasets = names.flatMap((name, i) => (['api', 'floor'] as const).map((side) => ({
    label: `${name} (${side})`,
    borderColor: COLOURS[i % COLOURS.length],
    backgroundColor: COLOURS[i % COLOURS.length],
    borderDash: side === 'floor' ? [6, 4] : [],
    data: results.flatMap((r) => {
      const s = r.scenarios.find((x) => x.name === name)?.[side];
      return s ? [{ x: r.dataset.rowCounts.sessions, y: s.p95 }] : [];
    }),
  })));
  const chart = new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'line',
    data: { datasets },
    options: {
      responsive: false,
      animation: false,
      plugins: { title: { display: true, text: 'p95 latency by dataset size' } },
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'sessions in the dataset' } },
        y: { type: 'logarithmic', title: { display: true, text: 'p95 latency (ms)' } },
      },
    },
  });
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png;
}
