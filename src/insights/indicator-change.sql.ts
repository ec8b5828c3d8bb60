import { EntityManager } from 'typeorm';
import { INDICATORS, Indicator } from '../early-warning/early-warning-enums';
import { ImpactQuery, IndicatorChange, MetricsScope } from './impact-metrics.model';
import { dirtyMonthsCte } from './impact-metrics-sessions.sql';
import { usesRollups } from './metrics-rollup-plan';
import { GROUP_KEY_LIST, MetricsSqlContext, MetricsSource } from './metrics-sql-context';

// Indicator values have a month, not a day, and no country of their own (the network's).
export const INDICATOR_VALUES: MetricsSource = { country: 'n.country_code', network: 'v.network_id', date: `to_date(v.period, 'YYYY-MM')` };
const INDICATOR_MONTHS: MetricsSource = { country: 'r.country_code', date: `to_date(r.period, 'YYYY-MM')` };

/** Months compared at each end of the range (docs/metrics.md: baseline = first three months, latest = last three). */
export const INDICATOR_WINDOW_MONTHS = 3;

/**
 * Baseline, latest and percent change per group and indicator, entirely in SQL. The months are
 * those of the range that have values; each end takes up to three of them, never overlapping
 * (k = least(3, n / 2) with n months, so two months compare one with the other). A single
 * month has a baseline and no latest. Each end is the mean of all values (one per network and
 * month) recorded in its months.
 */
export function indicatorChangeSql(ctx: MetricsSqlContext): string {
  const k = `least(${INDICATOR_WINDOW_MONTHS}, greatest(1, m.months / 2))`;
  return `
WITH ${usesRollups(ctx.rollups) && ctx.dirtyMonths ? `${dirtyMonthsCte(ctx)},` : ''}
v AS (${indicatorRowsSql(ctx)}),
m AS (
  SELECT ${GROUP_KEY_LIST}, indicator, period,
    row_number() OVER (PARTITION BY ${GROUP_KEY_LIST}, indicator ORDER BY period) AS from_start,
    row_number() OVER (PARTITION BY ${GROUP_KEY_LIST}, indicator ORDER BY period DESC) AS from_end,
    count(*) OVER (PARTITION BY ${GROUP_KEY_LIST}, indicator)::int AS months
  FROM (SELECT DISTINCT ${GROUP_KEY_LIST}, indicator, period FROM v) distinct_months
),
ends AS (
  SELECT ${GROUP_KEY_LIST}, v.indicator, max(m.months) AS months,
    sum(v.value_sum) FILTER (WHERE m.from_start <= ${k}) / sum(v.value_count) FILTER (WHERE m.from_start <= ${k}) AS baseline,
    sum(v.value_sum) FILTER (WHERE m.months >= 2 AND m.from_end <= ${k}) / sum(v.value_count) FILTER (WHERE m.months >= 2 AND m.from_end <= ${k}) AS latest
  FROM v JOIN m USING (${GROUP_KEY_LIST}, indicator, period)
  GROUP BY ${GROUP_KEY_LIST}, v.indicator
)
SELECT ${GROUP_KEY_LIST}, indicator, months,
  CAST(round(baseline, 2) AS float8) AS baseline,
  CAST(round(latest, 2) AS float8) AS latest,
  CAST(round((latest - baseline) / NULLIF(baseline, 0) * 100, 1) AS float8) AS percent_change
FROM ends`;
}

/**
 * The indicator values a metrics question covers (live, in scope, filtered, months in range) as
 * (group keys, indicator, period, value_sum, value_count): one row per value from the raw table,
 * or, for a question not about networks, one per country and month from metrics_indicator_months
 * with the dirty months (CTE \`dirty\`) read raw. The means are sum / count either way, so both
 * give the same figures to the last digit.
 */
export function indicatorRowsSql(ctx: MetricsSqlContext): string {
  const raw = (from: string) => `SELECT ${ctx.keys(INDICATOR_VALUES)}, v.indicator, v.period, v.value AS value_sum, 1 AS value_count
  ${from}
  WHERE v.archived_at IS NULL AND ${ctx.where(INDICATOR_VALUES, false)} AND ${ctx.monthRange('v.period')}`;
  if (!ctx.rollups.indicators) return raw('FROM indicator_values v JOIN networks n ON n.id = v.network_id');
  const rollup = `SELECT ${ctx.keys(INDICATOR_MONTHS)}, r.indicator, r.period, r.value_sum, r.value_count
  FROM metrics_indicator_months r
  WHERE ${ctx.where(INDICATOR_MONTHS, false)} AND ${ctx.monthRange('r.period')}`;
  if (!ctx.dirtyMonths) return rollup;
  return `${rollup}
    AND NOT EXISTS (SELECT 1 FROM dirty d WHERE d.country_code = r.country_code AND to_char(d.month, 'YYYY-MM') = r.period)
  UNION ALL
  ${raw(`FROM dirty d JOIN networks n ON n.country_code = d.country_code JOIN indicator_values v ON v.network_id = n.id AND v.period = to_char(d.month, 'YYYY-MM')`)}`;
}

export interface IndicatorChangeRow {
  g_country: string;
  g_network: string;
  g_period: string;
  indicator: Indicator;
  months: number;
  baseline: number | null;
  latest: number | null;
  percent_change: number | null;
}

/** Every indicator, with empty figures where the group has no values, so rows (and CSV columns) have the same shape. */
export function emptyIndicatorChanges(): Record<Indicator, IndicatorChange> {
  return Object.fromEntries(INDICATORS.map((i) => [i, { months: 0, baseline: null, latest: null, percentChange: null }])) as Record<Indicator, IndicatorChange>;
}

/**
 * Indicator change on its own (learning summaries rank "the strongest indicator changes" with
 * it): one entry per group key (`g_country|g_network|g_period`) with every indicator.
 */
export async function computeIndicatorChanges(
  manager: EntityManager,
  scope: MetricsScope,
  query: ImpactQuery,
  options: { rollups?: boolean; dirtyMonths?: boolean } = {},
): Promise<Map<string, Record<Indicator, IndicatorChange>>> {
  const ctx = new MetricsSqlContext(scope, query, options.rollups ?? true);
  ctx.dirtyMonths = options.dirtyMonths ?? true;
  const sql = indicatorChangeSql(ctx);
  const [escaped, params] = manager.connection.driver.escapeQueryWithParameters(sql, ctx.params);
  const rows = (await manager.query(escaped, params)) as IndicatorChangeRow[];
  const byGroup = new Map<string, Record<Indicator, IndicatorChange>>();
  for (const r of rows) {
    const key = groupKeyOf(r);
    const changes = byGroup.get(key) ?? emptyIndicatorChanges();
    changes[r.indicator] = { months: r.months, baseline: r.baseline, latest: r.latest, percentChange: r.percent_change };
    byGroup.set(key, changes);
  }
  return byGroup;
}

export const groupKeyOf = (r: { g_country: string; g_network: string; g_period: string }) => `${r.g_country}|${r.g_network}|${r.g_period}`;
