import { DISPUTE_STATUSES } from '../disputes/dispute-enums';
import { RISK_FACTOR_NUMBERS } from '../early-warning/early-warning-enums';
import { INITIATIVE_STATUSES, InitiativeStatus } from '../initiatives/initiative-enums';
import { MetricsSource } from './metrics-sql-context';

/** Budgets count as committed once approved, and stay committed through completion (not proposed, not cancelled). */
export const COMMITTED_STATUSES: readonly InitiativeStatus[] = ['approved', 'in_progress', 'completed'];

/** Early warnings found not credible do not count as reported risk (docs/metrics.md, "Impact metrics"). */
export const UNCOUNTED_WARNING_STATUS = 'dismissed';

/**
 * A source of the impact figures other than sessions (disputes, initiatives, money, early
 * warnings), described once for the three places that read it: the question answered from the raw
 * rows, the question answered from its rollup table (migration MetricsActivityRollups: one row per
 * country, month and extra keys), and the worker's refresh that writes that table.
 */
export interface ActivityRollup {
  /** The rollup table: `country_code`, `month`, the extra keys, then the figures. */
  table: string;
  /** FROM of the raw rows, with the aliases `source` uses. */
  from: string;
  /** Which raw rows count at all (before scope, filters and dates). */
  counted: string;
  source: MetricsSource;
  /** Group keys kept within a month besides country and month: [column, expression on the raw rows]. */
  extraKeys: readonly (readonly [string, string])[];
  /** The figures: [column, aggregate over raw rows]. Each one adds up over months and countries with sum(). */
  figures: readonly (readonly [string, string])[];
  /** The figures are money (numeric, summed as numeric); otherwise counts (int). */
  money?: boolean;
}

const countWhere = (condition: string) => `count(*) FILTER (WHERE ${condition})::int`;

const DISPUTE_SOURCE: MetricsSource = { country: 'd.country_code', network: 'd.network_id', date: 'd.reported_on' };
// An initiative counts in the period it starts; one not started yet (proposed) in the period it was recorded.
const INITIATIVE_SOURCE: MetricsSource = { country: 'i.country_code', network: 'i.network_id', date: `coalesce(i.start_on, CAST(i.created_at AT TIME ZONE 'UTC' AS date))` };
const LIVE_INITIATIVES = 'i.archived_at IS NULL';

export const DISPUTE_MONTHS: ActivityRollup = {
  table: 'metrics_dispute_months',
  from: 'disputes d',
  counted: 'd.archived_at IS NULL',
  source: DISPUTE_SOURCE,
  extraKeys: [],
  figures: [
    ['ds_total', 'count(*)::int'],
    ...DISPUTE_STATUSES.map((s) => [`ds_${s}`, countWhere(`d.status = '${s}'`)] as const),
    ['ds_ever_resolved', countWhere('d.resolved_on IS NOT NULL')],
  ],
};

/** How many disputes took how many days to resolve: the median of any group of months is read off it exactly. */
export const DISPUTE_RESOLUTION_DAYS: ActivityRollup = {
  table: 'metrics_dispute_resolution_days',
  from: 'disputes d',
  counted: 'd.archived_at IS NULL AND d.resolved_on IS NOT NULL',
  source: DISPUTE_SOURCE,
  extraKeys: [['days', 'd.resolved_on - d.reported_on']],
  figures: [['disputes', 'count(*)::int']],
};

export const INITIATIVE_MONTHS: ActivityRollup = {
  table: 'metrics_initiative_months',
  from: 'initiatives i',
  counted: LIVE_INITIATIVES,
  source: INITIATIVE_SOURCE,
  extraKeys: [],
  figures: [['in_total', 'count(*)::int'], ...INITIATIVE_STATUSES.map((s) => [`in_${s}`, countWhere(`i.status = '${s}'`)] as const)],
};

export const COMMITTED_MONTHS: ActivityRollup = {
  table: 'metrics_committed_months',
  from: 'initiatives i',
  counted: `${LIVE_INITIATIVES} AND i.status IN (${COMMITTED_STATUSES.map((s) => `'${s}'`).join(', ')})`,
  source: INITIATIVE_SOURCE,
  extraKeys: [['currency', 'i.budget_currency']],
  figures: [['amount', 'sum(i.budget_amount)']],
  money: true,
};

/** Money paid out counts on the day it was paid, in the country of its (live) initiative. */
export const DISBURSED_MONTHS: ActivityRollup = {
  table: 'metrics_disbursed_months',
  from: 'disbursements b JOIN initiatives i ON i.id = b.initiative_id',
  counted: LIVE_INITIATIVES,
  source: { country: 'i.country_code', network: 'i.network_id', date: 'b.disbursed_on' },
  extraKeys: [['currency', 'b.currency']],
  figures: [['amount', 'sum(b.amount)']],
  money: true,
};

export const WARNING_MONTHS: ActivityRollup = {
  table: 'metrics_warning_months',
  from: 'early_warnings w',
  counted: `w.archived_at IS NULL AND w.status <> '${UNCOUNTED_WARNING_STATUS}'`,
  source: { country: 'w.country_code', network: 'w.network_id', date: 'w.observed_on' },
  extraKeys: [],
  figures: [['ew_total', 'count(*)::int'], ...RISK_FACTOR_NUMBERS.map((n) => [`rf_${n}`, countWhere(`${n} = ANY(w.risk_factors)`)] as const)],
};

export const ACTIVITY_ROLLUPS: readonly ActivityRollup[] = [DISPUTE_MONTHS, DISPUTE_RESOLUTION_DAYS, INITIATIVE_MONTHS, COMMITTED_MONTHS, DISBURSED_MONTHS, WARNING_MONTHS];

/** A raw row of `rollup` lies in the month cell `cell` (an alias with `country_code` and `month`): the join a refresh and a dirty month's raw read share. */
export function rowsInMonthCell(rollup: ActivityRollup, cell: string): string {
  const { country, date } = rollup.source;
  return `${country} = ${cell}.country_code AND ${date} >= ${cell}.month AND ${date} < CAST(${cell}.month + interval '1 month' AS date)`;
}

/**
 * The statements that recompute `rollup` for the cells `cells` (a FROM item aliased `c`): delete
 * the cells' rows, then aggregate the raw rows of each cell again.
 */
export function activityRefreshStatements(rollup: ActivityRollup, cells: string): string[] {
  const keyExpressions = rollup.extraKeys.map(([, e]) => e);
  const columns = ['country_code', 'month', ...rollup.extraKeys.map(([k]) => k), ...rollup.figures.map(([f]) => f)];
  return [
    `DELETE FROM ${rollup.table} r USING ${cells} WHERE r.country_code = c.country_code AND r.month = c.month`,
    `INSERT INTO ${rollup.table} (${columns.join(', ')})
SELECT c.country_code, c.month, ${[...keyExpressions, ...rollup.figures.map(([, e]) => e)].join(', ')}
FROM ${cells}, ${rollup.from}
WHERE ${rollup.counted} AND ${rowsInMonthCell(rollup, 'c')}
GROUP BY ${['c.country_code', 'c.month', ...keyExpressions].join(', ')}`,
  ];
}

/** The (country, month) of every raw row of `rollup`: what a full rebuild marks dirty. */
export const monthsOf = (rollup: ActivityRollup) =>
  `SELECT DISTINCT ${rollup.source.country}, CAST(date_trunc('month', ${rollup.source.date}) AS date) FROM ${rollup.from}`;
