import {
  ActivityRollup,
  COMMITTED_MONTHS,
  DISBURSED_MONTHS,
  DISPUTE_MONTHS,
  DISPUTE_RESOLUTION_DAYS,
  INITIATIVE_MONTHS,
  rowsInMonthCell,
  WARNING_MONTHS,
} from './metrics-activity-rollups';
import { GROUP_KEY_LIST, MetricsSqlContext, MetricsSource } from './metrics-sql-context';

/**
 * The CTEs of the impact counts besides the session side: dispute_agg, initiative_agg,
 * committed_agg, disbursed_agg and warning_agg. Each source is read from its raw rows or, where
 * the question allows (RollupPlan.activity), from its country-month rollup plus the raw rows of
 * the months still marked dirty (CTE `dirty`).
 */

const ROLLUP_ROWS: MetricsSource = { country: 'r.country_code', date: 'r.month' };

/** The group keys, the extra keys and the figures of `rollup` over the raw rows of `from` that `where` keeps. */
function rawAggregate(ctx: MetricsSqlContext, rollup: ActivityRollup, from: string, where: string): string {
  const extra = rollup.extraKeys.map(([name, e]) => `${e} AS ${name}`);
  return `SELECT ${[ctx.keys(rollup.source), ...extra, ...rollup.figures.map(([name, e]) => `${e} AS ${name}`)].join(', ')}
  FROM ${from}
  WHERE ${rollup.counted} AND ${where}
  GROUP BY ${[GROUP_KEY_LIST, ...rollup.extraKeys.map(([, e]) => e)].join(', ')}`;
}

/**
 * `rollup`'s figures per group (and extra key) of the question: aggregated from the raw rows, or
 * summed from the rollup's months, the dirty ones aggregated from the raw rows instead.
 */
function aggregate(ctx: MetricsSqlContext, rollup: ActivityRollup): string {
  const raw = rawAggregate(ctx, rollup, rollup.from, ctx.where(rollup.source));
  if (!ctx.rollups.activity) return raw;
  const columns = [...rollup.extraKeys.map(([name]) => name), ...rollup.figures.map(([name]) => name)];
  const months = `SELECT ${[ctx.keys(ROLLUP_ROWS), ...columns.map((c) => `r.${c}`)].join(', ')}
  FROM ${rollup.table} r
  WHERE ${ctx.where(ROLLUP_ROWS)}`;
  const cells = ctx.dirtyMonths
    ? `${months} AND NOT EXISTS (SELECT 1 FROM dirty dm WHERE dm.country_code = r.country_code AND dm.month = r.month)
  UNION ALL
  ${rawAggregate(ctx, rollup, `dirty dm, ${rollup.from}`, `${rowsInMonthCell(rollup, 'dm')} AND ${ctx.where(rollup.source)}`)}`
    : months;
  const keys = [GROUP_KEY_LIST, ...rollup.extraKeys.map(([name]) => name)].join(', ');
  const sums = rollup.figures.map(([name]) => (rollup.money ? `sum(${name}) AS ${name}` : `sum(${name})::int AS ${name}`));
  return `SELECT ${[keys, ...sums].join(', ')} FROM (${cells}) cells GROUP BY ${keys}`;
}

/** Money per currency as `{ "USD": "1250.00" }`: summed in numeric, sent as text, never a float. */
function moneyByCurrency(ctx: MetricsSqlContext, name: string, rollup: ActivityRollup): string {
  return `${name} AS (
  SELECT ${GROUP_KEY_LIST}, jsonb_object_agg(currency, CAST(amount AS text) ORDER BY currency) AS money
  FROM (${aggregate(ctx, rollup)}) x GROUP BY ${GROUP_KEY_LIST}
)`;
}

/**
 * The median days to resolution of each group, read off how many disputes took how many days:
 * the values at 0-based positions floor((n-1)/2) and floor(n/2) of the n sorted, averaged. That
 * is percentile_cont(0.5) exactly, and it works the same on the raw rows and on the rollup.
 */
function disputeMedianCte(ctx: MetricsSqlContext): string {
  return `dispute_median AS (
  SELECT ${GROUP_KEY_LIST},
    CAST(min(days) FILTER (WHERE upto > (n - 1) / 2) + min(days) FILTER (WHERE upto > n / 2) AS float8) / 2 AS median_days
  FROM (
    SELECT ${GROUP_KEY_LIST}, days,
      sum(disputes) OVER (PARTITION BY ${GROUP_KEY_LIST} ORDER BY days) AS upto,
      sum(disputes) OVER (PARTITION BY ${GROUP_KEY_LIST}) AS n
    FROM (${aggregate(ctx, DISPUTE_RESOLUTION_DAYS)}) resolution_days
  ) cumulative
  GROUP BY ${GROUP_KEY_LIST}
)`;
}

export function activityCtes(ctx: MetricsSqlContext): string[] {
  return [
    `dispute_counts AS (${aggregate(ctx, DISPUTE_MONTHS)})`,
    disputeMedianCte(ctx),
    `dispute_agg AS (SELECT * FROM dispute_counts LEFT JOIN dispute_median USING (${GROUP_KEY_LIST}))`,
    `initiative_agg AS (${aggregate(ctx, INITIATIVE_MONTHS)})`,
    moneyByCurrency(ctx, 'committed_agg', COMMITTED_MONTHS),
    moneyByCurrency(ctx, 'disbursed_agg', DISBURSED_MONTHS),
    `warning_agg AS (${aggregate(ctx, WARNING_MONTHS)})`,
  ];
}
