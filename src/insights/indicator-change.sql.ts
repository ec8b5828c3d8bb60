import { EntityManager } from 'typeorm';
import { INDICATORS, Indicator } from '../early-warning/early-warning-enums';
import { ImpactQuery, IndicatorChange, MetricsScope } from './impact-metrics.model';
import { GROUP_KEY_LIST, MetricsSqlContext, MetricsSource } from './metrics-sql-context';

// Indicator values have a month, not a day, and no country of their own (the network's).
export const INDICATOR_VALUES: MetricsSource = { country: 'n.country_code', network: 'v.network_id', date: `to_date(v.period, 'YYYY-MM')` };

/** Months compared at each end of the range (README: baseline = first three months, latest = last three). */
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
WITH v AS (
  SELECT ${ctx.keys(INDICATOR_VALUES)}, v.indicator, v.period, v.value
  ${indicatorValuesFrom(ctx)}
),
m AS (
  SELECT ${GROUP_KEY_LIST}, indicator, period,
    row_number() OVER (PARTITION BY ${GROUP_KEY_LIST}, indicator ORDER BY period) AS from_start,
    row_number() OVER (PARTITION BY ${GROUP_KEY_LIST}, indicator ORDER BY period DESC) AS from_end,
    count(*) OVER (PARTITION BY ${GROUP_KEY_LIST}, indicator)::int AS months
  FROM (SELECT DISTINCT ${GROUP_KEY_LIST}, indicator, period FROM v) distinct_months
),
ends AS (
  SELECT ${GROUP_KEY_LIST}, v.indicator, max(m.months) AS months,
    avg(v.value) FILTER (WHERE m.from_start <= ${k}) AS baseline,
    avg(v.value) FILTER (WHERE m.months >= 2 AND m.from_end <= ${k}) AS latest
  FROM v JOIN m USING (${GROUP_KEY_LIST}, indicator, period)
  GROUP BY ${GROUP_KEY_LIST}, v.indicator
)
SELECT ${GROUP_KEY_LIST}, indicator, months,
  CAST(round(baseline, 2) AS float8) AS baseline,
  CAST(round(latest, 2) AS float8) AS latest,
  CAST(round((latest - baseline) / NULLIF(baseline, 0) * 100, 1) AS float8) AS percent_change
FROM ends`;
}

/** The indicator values a metrics question covers: live (not archived), in scope, filtered, months in range. */
export function indicatorValuesFrom(ctx: MetricsSqlContext): string {
  return `FROM indicator_values v JOIN networks n ON n.id = v.network_id
  WHERE v.archived_at IS NULL AND ${ctx.where(INDICATOR_VALUES, false)} AND ${ctx.monthRange('v.period')}`;
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
export async function computeIndicatorChanges(manager: EntityManager, scope: MetricsScope, query: ImpactQuery): Promise<Map<string, Record<Indicator, IndicatorChange>>> {
  const ctx = new MetricsSqlContext(scope, query);
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
