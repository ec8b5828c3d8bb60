import { DISPUTE_STATUSES } from '../disputes/dispute-enums';
import { RISK_FACTOR_NUMBERS } from '../early-warning/early-warning-enums';
import { ACTION_POINT_STATUSES } from '../field-work/field-work-enums';
import { INITIATIVE_STATUSES, InitiativeStatus } from '../initiatives/initiative-enums';
import { STAKEHOLDER_GROUPS } from '../people/people-enums';
import { countBy, sessionSideCtes } from './impact-metrics-sessions.sql';
import { indicatorRowsSql } from './indicator-change.sql';
import { GROUP_KEY_LIST, MetricsSqlContext, MetricsSource } from './metrics-sql-context';

/** Budgets count as committed once approved, and stay committed through completion (not proposed, not cancelled). */
export const COMMITTED_STATUSES: readonly InitiativeStatus[] = ['approved', 'in_progress', 'completed'];

/** Early warnings found not credible do not count as reported risk (README, "Impact metrics"). */
export const UNCOUNTED_WARNING_STATUS = 'dismissed';

const DISPUTES: MetricsSource = { country: 'd.country_code', network: 'd.network_id', date: 'd.reported_on' };
// An initiative counts in the period it starts; one not started yet (proposed) in the period it was recorded.
const INITIATIVES: MetricsSource = { country: 'i.country_code', network: 'i.network_id', date: `coalesce(i.start_on, CAST(i.created_at AT TIME ZONE 'UTC' AS date))` };
const DISBURSEMENTS: MetricsSource = { country: 'i.country_code', network: 'i.network_id', date: 'b.disbursed_on' };
const WARNINGS: MetricsSource = { country: 'w.country_code', network: 'w.network_id', date: 'w.observed_on' };

/** Money per currency as `{ "USD": "1250.00" }`: summed in numeric, sent as text, never a float. */
const moneyByCurrency = (alias: string, inner: string) =>
  `${alias} AS (
  SELECT ${GROUP_KEY_LIST}, jsonb_object_agg(currency, CAST(amount AS text) ORDER BY currency) AS money
  FROM (${inner}) x GROUP BY ${GROUP_KEY_LIST}
)`;

const prefixed = (prefix: string, values: readonly (string | number)[]) => values.map((v) => `${prefix}_${v}`);

/** The figures each aggregate CTE adds to a row (its group keys aside), named as in the SELECT below. */
const AGGREGATE_COLUMNS: Record<string, string[]> = {
  session_agg: ['sessions', 'sessions_with_state_partners', 'unnamed_attendances'],
  attendance_agg: ['named_attendances'],
  people_agg: ['unique_participants', 'women', ...prefixed('sg', STAKEHOLDER_GROUPS)],
  action_agg: ['ap_total', ...prefixed('ap', ACTION_POINT_STATUSES)],
  dispute_agg: ['ds_total', ...prefixed('ds', DISPUTE_STATUSES), 'ds_ever_resolved', 'median_days'],
  initiative_agg: ['in_total', ...prefixed('in', INITIATIVE_STATUSES)],
  warning_agg: ['ew_total', ...prefixed('rf', RISK_FACTOR_NUMBERS)],
};

const SELECTED_COLUMNS = Object.entries(AGGREGATE_COLUMNS)
  .flatMap(([cte, columns]) => columns.map((c) => `${cte}.${c}`))
  .join(', ');

/**
 * Every count-type figure of GET /metrics/impact in one statement: one aggregate CTE per source
 * table, each grouped by the same three key columns, then joined on them. Nothing but the
 * aggregates (one row per group) leaves PostgreSQL.
 */
export function impactCountsSql(ctx: MetricsSqlContext): string {
  const ungrouped = !ctx.groupBy;
  return `
WITH ${sessionSideCtes(ctx).join(',\n')},
dispute_agg AS (
  SELECT ${ctx.keys(DISPUTES)}, count(*)::int AS ds_total,
    ${countBy('ds', 'd.status', DISPUTE_STATUSES)},
    count(*) FILTER (WHERE d.resolved_on IS NOT NULL)::int AS ds_ever_resolved,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY d.resolved_on - d.reported_on) FILTER (WHERE d.resolved_on IS NOT NULL) AS median_days
  FROM disputes d
  WHERE d.archived_at IS NULL AND ${ctx.where(DISPUTES)}
  GROUP BY ${GROUP_KEY_LIST}
),
i AS MATERIALIZED (
  SELECT ${ctx.keys(INITIATIVES)}, i.status, i.budget_amount, i.budget_currency
  FROM initiatives i
  WHERE i.archived_at IS NULL AND ${ctx.where(INITIATIVES)}
),
initiative_agg AS (
  SELECT ${GROUP_KEY_LIST}, count(*)::int AS in_total,
    ${countBy('in', 'status', INITIATIVE_STATUSES)}
  FROM i GROUP BY ${GROUP_KEY_LIST}
),
${moneyByCurrency(
  'committed_agg',
  `SELECT ${GROUP_KEY_LIST}, budget_currency AS currency, sum(budget_amount) AS amount FROM i
   WHERE status IN (${COMMITTED_STATUSES.map((s) => `'${s}'`).join(', ')})
   GROUP BY ${GROUP_KEY_LIST}, budget_currency`,
)},
${moneyByCurrency(
  'disbursed_agg',
  `SELECT ${ctx.keys(DISBURSEMENTS)}, b.currency, sum(b.amount) AS amount
   FROM disbursements b JOIN initiatives i ON i.id = b.initiative_id
   WHERE i.archived_at IS NULL AND ${ctx.where(DISBURSEMENTS)}
   GROUP BY ${GROUP_KEY_LIST}, b.currency`,
)},
warning_agg AS (
  SELECT ${ctx.keys(WARNINGS)}, count(*)::int AS ew_total,
    ${RISK_FACTOR_NUMBERS.map((n) => `count(*) FILTER (WHERE ${n} = ANY(w.risk_factors))::int AS rf_${n}`).join(',\n    ')}
  FROM early_warnings w
  WHERE w.archived_at IS NULL AND w.status <> '${UNCOUNTED_WARNING_STATUS}' AND ${ctx.where(WARNINGS)}
  GROUP BY ${GROUP_KEY_LIST}
),
indicator_groups AS (
  SELECT DISTINCT ${GROUP_KEY_LIST} FROM (${indicatorRowsSql(ctx)}) v
),
group_keys AS (
  ${['session_agg', 'dispute_agg', 'initiative_agg', 'disbursed_agg', 'warning_agg', 'indicator_groups'].map((t) => `SELECT ${GROUP_KEY_LIST} FROM ${t}`).join('\n  UNION ')}
  ${ungrouped ? `UNION SELECT '', '', ''` : ''}
)
SELECT k.g_country, k.g_network, k.g_period, n.name AS network_name,
  ${SELECTED_COLUMNS},
  committed_agg.money AS budget_committed, disbursed_agg.money AS disbursed
FROM group_keys k
  LEFT JOIN session_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN attendance_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN people_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN action_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN dispute_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN initiative_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN committed_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN disbursed_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN warning_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN networks n ON n.id = CAST(NULLIF(k.g_network, '') AS uuid)
ORDER BY k.g_country, n.name NULLS FIRST, k.g_network, k.g_period`;
}
