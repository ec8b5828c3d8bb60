/**
 * `npm run bench [-- --size small|medium|large] [--scenarios post-sessions,get-sessions,sync]
 *   [--seconds 15] [--seed 1] [--regenerate] [--cpu-prof]`
 *
 * Makes sure the dataset exists (generating it when missing), starts the built API (and the
 * worker when a scenario needs it) as child processes against it, runs each scenario against the
 * API and then its floor, merges them into bench/results/<size>.json (a run of some scenarios
 * replaces only theirs) and rewrites bench/RESULTS.md with the growth chart from every size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseName, SIZE_NAMES, SIZES, SizeName } from './generate/dataset-sizes';
import { generateDataset } from './generate/generate-dataset';
import { refreshMarkedMonths } from './generate/rollups';
import { AppProcess, startProcess, waitReady } from './lib/app-processes';
import { databaseUrl, migrateDataset, readStamp, schemaIsBehind, withClient } from './lib/bench-database';
import { benchKeys } from './lib/bench-keys';
import { describeMachine } from './lib/machine';
import { BENCH_DIR, mergeResults, readResults, RESULTS_DIR, writeReport } from './report/results-report';
import { SCENARIOS } from './scenarios';
import { ScenarioResult } from './scenarios/scenario';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' },
      scenarios: { type: 'string' },
      seconds: { type: 'string', default: '15' },
      seed: { type: 'string', default: '1' },
      port: { type: 'string', default: '3917' },
      regenerate: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  const size = values.size as SizeName;
  if (!SIZE_NAMES.includes(size)) throw new Error(`--size must be one of ${SIZE_NAMES.join(', ')}`);
  const seed = Number(values.seed);
  const seconds = Number(values.seconds);
  const port = Number(values.port);
  const wanted = values.scenarios?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((w) => !SCENARIOS.some((s) => s.name === w)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const scenarios = SCENARIOS.filter((s) => (!wanted || wanted.includes(s.name)) && (!s.sizes || s.sizes.includes(size)));

  const machine = await describeMachine();
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb} GB, load ${machine.loadAverageAtStart.join(' ')}`);
  const database = databaseName(size);
  let stamp = await readStamp(database);
  if (stamp && stamp.seed === seed && !values.regenerate && (await schemaIsBehind(database))) {
    // A migration newer than the dataset (an index, say) is applied the way a deployment applies
    // it, instead of regenerating: the rows are a function of the seed and stay the same.
    console.log(`applying the pending migrations to ${database}…`);
    await migrateDataset(database);
    // A migration that adds a rollup marks the months it needs; the worker would build them next.
    const cells = await withClient(database, refreshMarkedMonths);
    if (cells) console.log(`refreshed the metrics rollups of ${cells} months`);
  }
  if (!stamp || stamp.seed !== seed || values.regenerate) {
    console.log(`generating ${size} (seed ${seed})…`);
    stamp = await generateDataset(SIZES[size], seed, (m) => console.log(m));
    console.log(`generated in ${stamp.loadSeconds} s`);
  } else {
    console.log(`reusing ${database} (generated ${stamp.generatedAt} in ${stamp.loadSeconds} s)`);
  }

  const url = databaseUrl(database);
  const profileDir = values['cpu-prof'] ? join(RESULTS_DIR, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const processes: AppProcess[] = [];
  const results: ScenarioResult[] = [];
  try {
    const api = startProcess('api', 'main', { databaseUrl: url, port, cpuProfileDir: profileDir });
    processes.push(api);
    await waitReady(api, port);
    const worker = scenarios.some((s) => s.needsWorker) ? startProcess('worker', 'worker', { databaseUrl: url, port: 0 }) : undefined;
    if (worker) processes.push(worker);
    const keys = Object.fromEntries(benchKeys(seed).map((k) => [k.role, k])) as never;
    for (const scenario of scenarios) {
      console.log(`\n${scenario.title} (${seconds} s each side)…`);
      const loadAverageAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
      const result = await scenario.run({ size, seed, databaseUrl: url, apiUrl: `http://127.0.0.1:${port}`, seconds, keys, workerPeakRss: worker?.peakRss });
      results.push({ ...result, measured: { date: new Date().toISOString(), seconds, loadAverageAtStart } });
      printResult(result);
    }
  } finally {
    for (const p of processes.reverse()) await p.stop();
  }

  mkdirSync(RESULTS_DIR, { recursive: true });
  const saved = mergeResults(readResults(size), { size, date: new Date().toISOString(), seconds, machine, dataset: stamp, scenarios: results });
  writeFileSync(join(RESULTS_DIR, `${size}.json`), `${JSON.stringify(saved, null, 2)}\n`);
  await writeReport();
  console.log(`\nwrote ${join(BENCH_DIR, 'RESULTS.md')}`);
}

function printResult(r: ScenarioResult): void {
  const line = (label: string, m?: { throughput: number; p50: number; p95: number; p99: number; failed: number }) =>
    m && console.log(`  ${label.padEnd(5)} ${m.throughput.toFixed(1).padStart(8)}/s  p50 ${m.p50} ms  p95 ${m.p95} ms  p99 ${m.p99} ms  failed ${m.failed}`);
  line('api', r.api);
  line('floor', r.floor);
  if (r.api && Object.keys(r.api.statuses).some((s) => s !== '200' && s !== '201')) console.log(`  api statuses: ${JSON.stringify(r.api.statuses)}`);
  if (r.ratio !== undefined) console.log(`  api/floor ${(r.ratio * 100).toFixed(1)}%  target ${r.target ?? '-'}${r.met === undefined ? '' : r.met ? ' — met' : ' — MISSED'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
