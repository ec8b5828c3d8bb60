import { Canvas, createCanvas } from '@napi-rs/canvas';
import { Chart, ChartDataset, registerables } from 'chart.js';
import { SizeResults } from './results-report';

Chart.register(...registerables);

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf', '#bcbd22'];
const WIDTH = 900;
const HEIGHT = 500;

type Point = { x: number; y: number };
const isRun = (name: string) => name.startsWith('summary-');

function lineChart(title: string, yTitle: string, datasets: ChartDataset<'line', Point[]>[], y2Title?: string): Canvas {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const chart = new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'line',
    data: { datasets },
    options: {
      responsive: false,
      animation: false,
      plugins: { title: { display: true, text: title } },
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'sessions in the dataset' } },
        y: { type: 'logarithmic', title: { display: true, text: yTitle } },
        ...(y2Title ? { y2: { type: 'linear' as const, position: 'right' as const, min: 0, title: { display: true, text: y2Title }, grid: { drawOnChartArea: false } } } : {}),
      },
    },
  });
  chart.draw();
  const out = createCanvas(WIDTH, HEIGHT);
  out.getContext('2d').drawImage(canvas, 0, 0);
  chart.destroy();
  return out;
}

/**
 * Two panels side by side: the p95 latency of every request scenario (API solid, floor dashed),
 * and the learning-summary run's wall time (API median solid, floor dashed) with the worker's peak
 * RSS (dotted, right axis), all against the dataset's session count.
 */
export function growthChartPng(results: SizeResults[]): Buffer {
  const sessions = (r: SizeResults) => r.dataset.rowCounts.sessions;
  const names = [...new Set(results.flatMap((r) => r.scenarios.filter((s) => s.api).map((s) => s.name)))];
  const colour = (i: number) => COLOURS[i % COLOURS.length];
  const latency = names.filter((n) => !isRun(n)).flatMap((name, i) => (['api', 'floor'] as const).map((side) => ({
    label: `${name} (${side})`,
    borderColor: colour(i),
    backgroundColor: colour(i),
    borderDash: side === 'floor' ? [6, 4] : [],
    data: results.flatMap((r) => {
      const s = r.scenarios.find((x) => x.name === name)?.[side];
      return s ? [{ x: sessions(r), y: s.p95 }] : [];
    }),
  })));
  const runs = names.filter(isRun).flatMap((name, i) => {
    const series = (label: string, figure: string, dash: number[], axis = 'y') => ({
      label: `${name} (${label})`,
      borderColor: colour(i + 4),
      backgroundColor: colour(i + 4),
      borderDash: dash,
      yAxisID: axis,
      data: results.flatMap((r) => {
        const v = r.scenarios.find((x) => x.name === name)?.figures?.[figure];
        return v === undefined ? [] : [{ x: sessions(r), y: v }];
      }),
    });
    return [series('API wall, median s', 'medianWallSeconds', []), series('floor, median s', 'floorMedianSeconds', [6, 4]), series('worker peak RSS, MB', 'workerPeakRssMb', [2, 3], 'y2')];
  });
  const panels = [lineChart('p95 latency by dataset size', 'p95 latency (ms)', latency)];
  if (runs.length) panels.push(lineChart('Learning-summary run by dataset size', 'wall time (s)', runs, 'worker peak RSS (MB)'));
  const canvas = createCanvas(WIDTH * panels.length, HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  panels.forEach((panel, i) => ctx.drawImage(panel, i * WIDTH, 0));
  return canvas.toBuffer('image/png');
}
