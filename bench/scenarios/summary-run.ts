import { ClientBase } from 'pg';
import type { EntityManager } from 'typeorm';
import { parsePeriod, SummaryPeriod } from '../../src/insights/learning-summary-period';
import { activeCrossCountryLinks, computeCountrySummary } from '../../src/insights/learning-summary.sql';
import { databaseName, SizeName } from '../generate/dataset-sizes';
import { withClient } from '../lib/bench-database';
import { summarise } from '../lib/measure';
import { impactStatements, runStatements, Statement } from './metrics-impact';
import { Scenario, ScenarioResult } from './scenario';

/** The last full year of the generated data (January 2015 – May 2025). */
export const SUMMARY_PERIOD = '2024';
const WALL_TARGET_S = 60;
const RSS_TARGET_MB = 400;
/** Runs measured on each side: the first one also warms the caches for the rest. */
const MIN_RUNS = 2;
const MAX_RUNS = 5;
const POLL_MS = 100;

interface RunState {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  error?: string;
}

/**
 * The worker's computation (LearningSummariesProcessor.computeAndStore) reads through an
 * EntityManager; this one sends the very same statements straight to a pg client (only `query`
 * is used by the summary SQL).
 */
function managerOver(client: ClientBase): EntityManager {
  return { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows } as unknown as EntityManager;
}

/**
 * Every read of a run of `period` for `codes`, in the worker's order (computeAndStore): each
 * country's summary, then the one impact-metrics question of all the run's countries grouped by
 * country (the statements ImpactMetricsService.compute executes, in its transaction), then the
 * active links. The final write (one upsert transaction) is left out.
 */
async function summaryReads(client: ClientBase, codes: string[], period: SummaryPeriod, impact: Statement[]): Promise<void> {
  const manager = managerOver(client);
  for (const code of codes) await computeCountrySummary(manager, code, period);
  await runStatements(client, impact);
  await activeCrossCountryLinks(manager, null, period);
}

async function requestRun(apiUrl: string, key: string): Promise<RunState> {
  const response = await fetch(`${apiUrl}/api/v1/learning-summaries/runs`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ period: SUMMARY_PERIOD }),
  });
  if (response.status !== 202) throw new Error(`POST /learning-summaries/runs answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as RunState;
}

async function waitForRun(apiUrl: string, key: string, id: string): Promise<RunState> {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const response = await fetch(`${apiUrl}/api/v1/learning-summaries/runs/${id}`, { headers: { 'x-api-key': key } });
    const run = (await response.json()) as RunState;
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status} after 30 minutes`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Repeats `once` at least MIN_RUNS times and until `seconds` have passed (MAX_RUNS at most); its durations in ms. */
async function repeat(seconds: number, once: () => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  const started = performance.now();
  while (durations.length < MIN_RUNS || (durations.length < MAX_RUNS && performance.now() - started < seconds * 1000)) {
    const t = performance.now();
    await once();
    durations.push(performance.now() - t);
  }
  return durations;
}

/**
 * POST /learning-summaries/runs for a whole year and every country, as hq_analyst, then GET the
 * run every 100 ms until it is completed: wall time from the request to completion, and the
 * worker's peak RSS. The floor runs the same summary statements one after the other on one pg
 * connection, as the worker does.
 */
export const summaryRunYear: Scenario = {
  name: 'summary-run-year',
  title: `Learning-summary run, all countries, year ${SUMMARY_PERIOD} (request → completed)`,
  needsWorker: true,
  async run(ctx): Promise<ScenarioResult> {
    const key = ctx.keys.hq_analyst.key;
    const period = parsePeriod(SUMMARY_PERIOD)!;
    const rssBefore = ctx.workerPeakRss?.() ?? 0;
    let failed = 0;
    let lastError: string | undefined;
    const api = await repeat(ctx.seconds, async () => {
      const queued = await requestRun(ctx.apiUrl, key);
      const done = await waitForRun(ctx.apiUrl, key, queued.id);
      if (done.status !== 'completed') {
        failed++;
        lastError = done.error;
      }
    });
    const codes = await withClient(databaseName(ctx.size as SizeName), async (client) =>
      (await client.query<{ code: string }>('SELECT code::text AS code FROM countries WHERE archived_at IS NULL ORDER BY code')).rows.map((r) => r.code));
    const countries = codes.length;
    const floor = await withClient(databaseName(ctx.size as SizeName), async (client) => {
      // Built once: building asks whether months are dirty, which the statements ask again as the service does.
      const impact = await impactStatements(client, 'everything', { countryCodes: codes, from: period.from, to: period.to, groupBy: 'country' });
      return repeat(ctx.seconds, () => summaryReads(client, codes, period, impact));
    });
    const peakRss = ctx.workerPeakRss?.() ?? 0;
    const apiM = { ...summarise(api, failed, api.reduce((a, b) => a + b, 0) / 1000), statuses: { completed: api.length - failed, failed } };
    const floorM = summarise(floor, 0, floor.reduce((a, b) => a + b, 0) / 1000);
    const wallS = Math.max(...api) / 1000;
    const peakMb = peakRss / 1024 ** 2;
    const targeted = ctx.size === 'large';
    return {
      name: this.name,
      title: this.title,
      connections: 1,
      api: apiM,
      floor: floorM,
      ratio: Math.round((apiM.throughput / floorM.throughput) * 1000) / 1000,
      target: `wall < ${WALL_TARGET_S} s and worker RSS < ${RSS_TARGET_MB} MB on large`,
      met: targeted ? failed === 0 && wallS < WALL_TARGET_S && peakMb < RSS_TARGET_MB : undefined,
      figures: {
        runs: api.length,
        countries,
        slowestWallSeconds: Math.round(wallS * 100) / 100,
        medianWallSeconds: Math.round(apiM.p50 / 10) / 100,
        floorMedianSeconds: Math.round(floorM.p50 / 10) / 100,
        workerPeakRssMb: Math.round(peakMb),
        workerRssBeforeMb: Math.round(rssBefore / 1024 ** 2),
      },
      notes: [
        'latencies are whole runs (request → completed, polled every 100 ms); the floor is the same reads (summaries, impact figures, links) on one pg connection, without the final upsert transaction',
        ...(lastError ? [`a run failed: ${lastError}`] : []),
      ],
    };
  },
};
