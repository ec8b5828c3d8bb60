import { ClientBase } from 'pg';
import { Principal } from '../../src/auth/principal';
import { createDataSource } from '../../src/database/data-source';
import { GroupBy, ImpactQuery, MetricsScope } from '../../src/insights/impact-metrics.model';
import { dirtyStateSql } from '../../src/insights/impact-metrics-sessions.sql';
import { impactCountsSql } from '../../src/insights/impact-metrics.sql';
import { indicatorChangeSql } from '../../src/insights/indicator-change.sql';
import { usesRollups } from '../../src/insights/metrics-rollup-plan';
import { METRICS_TRANSACTION_SETTINGS, MetricsSqlContext } from '../../src/insights/metrics-sql-context';
import { databaseName, SizeName } from '../generate/dataset-sizes';
import { BENCH_COUNTRY } from '../lib/bench-keys';
import { withClient } from '../lib/bench-database';
import { loadApi, loadFloor, WARM_UP_SECONDS } from '../lib/measure';
import { Scenario, ScenarioResult } from './scenario';

/**
 * Headquarters scripts pull the month-end figures together: a handful of analysts' scripts at
 * once, not a crowd. 8 connections is that burst (and already 4 per core on this machine).
 */
export const METRICS_CONNECTIONS = 8;

/** A question answered slower than this is measured by a number of requests rather than a duration. */
const SLOW_REQUEST_MS = 1_000;

/** The last two full years of the generated data (it runs from January 2015 to May 2025). */
export const METRICS_FROM = '2023-01-01';
export const METRICS_TO = '2024-12-31';

/** One statement of the floor with its positional parameters, exactly as TypeORM sends it. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The statements `ImpactMetricsService.compute` executes for this caller and question, built by
 * the service's own builders and escaped by TypeORM's driver (no connection is opened for that):
 * the transaction's settings, the visibility check of the countries, the check for dirty rollup
 * months, the counts, the indicator changes, in one REPEATABLE READ transaction. The floor is then
 * exactly the database's share of the request. Which variant of the counts runs depends on
 * whether months are dirty or periods stale: asked once here on `client`, as the service asks on every request.
 */
export async function impactStatements(client: ClientBase, principal: MetricsScope, query: ImpactQuery): Promise<Statement[]> {
  const dataSource = createDataSource('postgres://unused@127.0.0.1/unused');
  const escape = (sql: string, params: Record<string, unknown>): Statement => {
    const [escaped, positional] = dataSource.driver.escapeQueryWithParameters(sql, params);
    return { sql: escaped, params: positional };
  };
  const statements: Statement[] = METRICS_TRANSACTION_SETTINGS.map((sql) => ({ sql, params: [] }));
  const codes = [...new Set(query.countryCodes ?? [])].sort();
  const normalised: ImpactQuery = { ...query, countryCodes: codes };
  if (codes.length) {
    // requireVisibleFilters: hq_analyst's (and the worker's) scope is TRUE, the same query builder call as the service.
    const [sql, params] = dataSource.createQueryBuilder().select('c.code', 'code').from('countries', 'c')
      .where('c.code IN (:...codes)', { codes }).andWhere('TRUE', {}).getQueryAndParameters();
    statements.push({ sql, params });
  }
  const counts = new MetricsSqlContext(principal, normalised);
  if (usesRollups(counts.rollups)) {
    const statement = escape(dirtyStateSql(counts), counts.params);
    statements.push(statement);
    const [state] = (await client.query<{ dirty: boolean; stale: boolean }>(statement.sql, statement.params)).rows;
    counts.dirtyMonths = state.dirty;
    counts.stalePeriods = state.stale;
  }
  statements.push(escape(impactCountsSql(counts), counts.params));
  const indicators = new MetricsSqlContext(principal, normalised);
  indicators.dirtyMonths = counts.dirtyMonths;
  statements.push(escape(indicatorChangeSql(indicators), indicators.params));
  return statements;
}

/** Runs the statements in one REPEATABLE READ transaction, as the service does; the counts statement's row count. */
export async function runStatements(client: ClientBase, statements: Statement[]): Promise<number> {
  await client.query('START TRANSACTION');
  await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  const counts = [];
  for (const s of statements) counts.push((await client.query(s.sql, s.params)).rowCount ?? 0);
  await client.query('COMMIT');
  return counts[counts.length - 2];
}

export interface MetricsQuestion {
  name: string;
  title: string;
  countryCode?: string;
  groupBy: GroupBy;
  /** The issue's target on `large`: API p95 below this many ms. */
  p95TargetMs?: number;
}

/** The question a metrics scenario asks, as the service receives it (hq_analyst: scope TRUE). */
export function impactQuery(o: MetricsQuestion): ImpactQuery {
  return { countryCodes: o.countryCode ? [o.countryCode] : undefined, from: METRICS_FROM, to: METRICS_TO, groupBy: o.groupBy };
}

function metricsScenario(o: MetricsQuestion): Scenario {
  return {
    name: o.name,
    title: o.title,
    needsWorker: false,
    async run(ctx): Promise<ScenarioResult> {
      const key = ctx.keys.hq_analyst;
      const principal: Principal = { kind: 'api_key', id: key.id, role: key.role, countryCodes: key.countryCodes, partnerId: null };
      const query = impactQuery(o);
      const path = `/api/v1/metrics/impact?${o.countryCode ? `countryCode=${o.countryCode}&` : ''}from=${METRICS_FROM}&to=${METRICS_TO}&groupBy=${o.groupBy}`;
      const headers = { 'x-api-key': key.key };

      // Both sides must answer the same question: the same number of rows, before anything is timed.
      const probeStarted = performance.now();
      const probe = await fetch(`${ctx.apiUrl}${path}`, { headers });
      if (probe.status !== 200) throw new Error(`${o.name}: GET ${path} answered ${probe.status}: ${await probe.text()}`);
      const apiRows = ((await probe.json()) as { data: unknown[] }).data.length;
      const { statements, floorRows } = await withClient(databaseName(ctx.size as SizeName), async (client) => {
        const built = await impactStatements(client, principal, query);
        return { statements: built, floorRows: await runStatements(client, built) };
      });
      if (floorRows !== apiRows) throw new Error(`${o.name}: the floor's statements give ${floorRows} rows, the API ${apiRows}`);

      // Slow answers (a second or more each) would mostly be in flight when a duration ends: send a
      // number of requests instead, at least three per connection, about `seconds` worth at one at
      // a time. Faster ones run for the duration, like every other scenario (a count derived from
      // one cold request would measure little but warm-up).
      const probeMs = performance.now() - probeStarted;
      const amount = probeMs >= SLOW_REQUEST_MS ? Math.max(3 * METRICS_CONNECTIONS, Math.round((ctx.seconds * 1000) / probeMs)) : undefined;
      const apiLoad = { url: `${ctx.apiUrl}${path}`, connections: METRICS_CONNECTIONS, headers, expectStatus: 200, requests: [{ method: 'GET' as const }] };
      const floorUnit = async (client: ClientBase) => void (await runStatements(client, statements));
      if (!amount) {
        // Unmeasured warm-up of both sides: every connection of the API's pool and of the floor opened, and its caches filled.
        await loadApi({ ...apiLoad, seconds: WARM_UP_SECONDS });
        await loadFloor(ctx.databaseUrl, METRICS_CONNECTIONS, WARM_UP_SECONDS, floorUnit);
      }
      const api = await loadApi({ ...apiLoad, seconds: ctx.seconds, amount });
      const floor = await loadFloor(ctx.databaseUrl, METRICS_CONNECTIONS, ctx.seconds, floorUnit);
      const targeted = o.p95TargetMs !== undefined && ctx.size === 'large';
      const met = targeted ? api.p95 < o.p95TargetMs! : undefined;
      const ratio = Math.round((api.throughput / floor.throughput) * 1000) / 1000;
      return {
        name: o.name,
        title: o.title,
        connections: METRICS_CONNECTIONS,
        api,
        floor,
        ratio,
        target: o.p95TargetMs !== undefined ? `API p95 < ${o.p95TargetMs} ms on large` : 'reported (no target in the issue)',
        met,
        figures: { rows: apiRows, requests: amount ?? api.completed + api.failed, singleRequestMs: Math.round(probeMs) },
        notes: api.failed
          ? [`${api.failed} of ${amount ?? api.completed + api.failed} requests got no 200 (${JSON.stringify(api.statuses)}); the API cancels a statement after 30 s (statement_timeout) and closes a connection silent for 30 s (connectionTimeout), so a request queued that long gets no answer`]
          : undefined,
      };
    },
  };
}

export const METRICS_QUESTIONS: readonly MetricsQuestion[] = [
  { name: 'metrics-country-month', title: `GET /metrics/impact, one country (${BENCH_COUNTRY}), two years by month`, countryCode: BENCH_COUNTRY, groupBy: 'month', p95TargetMs: 250 },
  { name: 'metrics-all-quarter', title: 'GET /metrics/impact, all countries, two years by quarter', groupBy: 'quarter' },
];

export const [metricsCountryMonth, metricsAllQuarter] = METRICS_QUESTIONS.map(metricsScenario);
