import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZE_NAMES } from '../generate/dataset-sizes';
import { DatasetStamp } from '../lib/bench-database';
import { Machine } from '../lib/machine';
import { Measurement } from '../lib/measure';
import { ScenarioResult } from '../scenarios/scenario';
import { SCENARIOS } from '../scenarios';
import { growthChartPng } from './growth-chart';

const SCENARIO_ORDER = SCENARIOS.map((s) => s.name);

export const BENCH_DIR = join(__dirname, '..', '..', '..', 'bench');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** What one `npm run bench --size X` saves (bench/results/X.json); RESULTS.md is built from all of them. */
export interface SizeResults {
  size: string;
  date: string;
  seconds: number;
  machine: Machine;
  dataset: DatasetStamp;
  scenarios: ScenarioResult[];
}

export function readResults(size: string): SizeResults | null {
  const file = join(RESULTS_DIR, `${size}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SizeResults) : null;
}

/**
 * A run of some scenarios replaces those scenarios' results and keeps the others' (measured
 * earlier on the same seed and size, so on the same data); each scenario keeps when and under
 * which load it was measured. Scenarios stay in the order `npm run bench` runs them.
 */
export function mergeResults(previous: SizeResults | null, latest: SizeResults): SizeResults {
  if (!previous || previous.dataset.seed !== latest.dataset.seed) return latest;
  const fresh = new Set(latest.scenarios.map((s) => s.name));
  const kept = previous.scenarios.filter((s) => !fresh.has(s.name))
    .map((s) => ({ ...s, measured: s.measured ?? { date: previous.date, seconds: previous.seconds, loadAverageAtStart: previous.machine.loadAverageAtStart } }));
  const order = (name: string) => SCENARIO_ORDER.indexOf(name);
  return { ...latest, scenarios: [...kept, ...latest.scenarios].sort((a, b) => order(a.name) - order(b.name)) };
}

export async function writeReport(): Promise<void> {
  const results = SIZE_NAMES.map(readResults).filter((r): r is SizeResults => r !== null);
  writeFileSync(join(BENCH_DIR, 'growth.png'), growthChartPng(results));
  writeFileSync(join(BENCH_DIR, 'RESULTS.md'), renderResults(results));
}

const fmt = (n: number | null | undefined, digits = 1) => (typeof n !== 'number' || Number.isNaN(n) ? '–' : n.toFixed(digits));
const side = (m?: Measurement) => (m ? `${fmt(m.throughput)} | ${fmt(m.p50)} | ${fmt(m.p95)} | ${fmt(m.p99)}` : '– | – | – | –');

const met = (s: ScenarioResult) => (s.met === undefined ? '–' : s.met ? 'yes' : '**no**');
const measured = (s: ScenarioResult, r: SizeResults) => {
  const m = s.measured ?? { date: r.date, loadAverageAtStart: r.machine.loadAverageAtStart };
  return `${m.date.slice(0, 16).replace('T', ' ')} (${m.loadAverageAtStart.join(' / ')})`;
};

export function renderResults(results: SizeResults[]): string {
  const out: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see docs/benchmarks.md). Each load scenario runs against the built',
    'API and against its **floor**: a minimal script straight over `pg` doing the same database work at the same',
    'concurrency (writes: the same rows, including the idempotency or sync claim and the chained audit event, in one',
    'transaction, an Idempotency-Key claimed first in a statement of its own as the 409-while-running contract',
    "requires; reads: the API's own SQL, giving the same rows and counts in one query). POST and GET /sessions",
    'warm both sides up for 3 s unmeasured, then alternate five blocks of each, and are measured so three times:',
    'the repetition with the median API/floor ratio is reported, and the notes list all three. The others run the API first.',
    'Throughput is successful requests per second; latencies in ms. API, PostgreSQL and the load generator share',
    'the machine.',
    '',
  ];
  for (const r of results) {
    const m = r.machine;
    out.push(`## ${r.size}`, '', `Run ${r.date} · ${r.seconds} s per side · ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM · Node ${m.node} · PostgreSQL ${m.postgres} · load average at start ${m.loadAverageAtStart.join(' / ')}`, '');
    out.push(`Dataset \`jsd_bench_${r.size}\` (seed ${r.dataset.seed}), generated in **${r.dataset.loadSeconds} s**: ` +
      Object.entries(r.dataset.rowCounts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ') + '.', '');
    const load = r.scenarios.filter((x) => x.api && !x.name.startsWith('summary-'));
    out.push('| Scenario | Conn. | API req/s | API p50 | API p95 | API p99 | Floor req/s | Floor p50 | Floor p95 | Floor p99 | API/floor | Target | Met | Measured (load avg) |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const s of load) {
      out.push(`| ${s.title} | ${s.connections} | ${side(s.api)} | ${side(s.floor)} | ${s.ratio === undefined ? '–' : `${(s.ratio * 100).toFixed(1)}%`} | ${s.target ?? '–'} | ${met(s)} | ${measured(s, r)} |`);
    }
    const runs = r.scenarios.filter((x) => x.name.startsWith('summary-'));
    if (runs.length) {
      out.push('', '| Run | Runs | Wall median (s) | Wall slowest (s) | Floor median (s) | Worker peak RSS (MB) | Target | Met | Measured (load avg) |', '|---|---|---|---|---|---|---|---|---|');
      for (const s of runs) {
        const f = s.figures ?? {};
        out.push(`| ${s.title} | ${f.runs ?? '–'} | ${fmt(f.medianWallSeconds, 2)} | ${fmt(f.slowestWallSeconds, 2)} | ${fmt(f.floorMedianSeconds, 2)} | ${fmt(f.workerPeakRssMb, 0)} | ${s.target ?? '–'} | ${met(s)} | ${measured(s, r)} |`);
      }
    }
    const failures = r.scenarios.filter((s) => (s.api?.failed ?? 0) + (s.floor?.failed ?? 0) > 0);
    for (const s of failures) out.push('', `${s.name}: ${s.api?.failed ?? 0} failed API requests (statuses ${JSON.stringify(s.api?.statuses)}), ${s.floor?.failed ?? 0} failed floor units.`);
    for (const s of r.scenarios.filter((x) => x.figures)) out.push('', `${s.title}: ${Object.entries(s.figures!).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const s of r.scenarios.filter((x) => x.notes?.length)) out.push('', `${s.name}: ${s.notes!.join('; ')}`);
    out.push('');
  }
  out.push('## Growth', '', '![latency by dataset size](growth.png)', '');
  const names = [...new Set(results.flatMap((r) => r.scenarios.filter((s) => s.api).map((s) => s.name)))];
  out.push(`| Scenario | ${results.map((r) => `${r.size} (${r.dataset.rowCounts.sessions.toLocaleString('en')} sessions) API p95 / floor p95 / API req/s`).join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`);
  for (const name of names) {
    out.push(`| ${name} | ${results.map((r) => {
      const s = r.scenarios.find((x) => x.name === name);
      return s ? `${fmt(s.api?.p95)} / ${fmt(s.floor?.p95)} / ${fmt(s.api?.throughput)}` : 'not run';
    }).join(' | ')} |`);
  }
  out.push('', 'Summary runs: latencies are whole runs (ms); see each size for wall time and the worker\'s peak RSS.', '');
  return `${out.join('\n')}\n`;
}
