import { ACTION_POINT_STATUSES } from '../field-work/field-work-enums';
import { STAKEHOLDER_GROUPS } from '../people/people-enums';
import { activityCtes } from './impact-metrics-activity.sql';
import { dirtyMonthsCte, sessionSideCtes } from './impact-metrics-sessions.sql';
import { indicatorRowsSql } from './indicator-change.sql';
import { ActivityRollup, DISPUTE_MONTHS, INITIATIVE_MONTHS, WARNING_MONTHS } from './metrics-activity-rollups';
import { usesRollups } from './metrics-rollup-plan';
import { GROUP_KEY_LIST, MetricsSqlContext } from './metrics-sql-context';

const prefixed = (prefix: string, values: readonly (string | number)[]) => values.map((v) => `${prefix}_${v}`);
const figureNames = (rollup: ActivityRollup) => rollup.figures.map(([name]) => name);

/** The figures each aggregate CTE adds to a row (its group keys aside), named as in the SELECT below. */
const AGGREGATE_COLUMNS: Record<string, string[]> = {
  session_agg: ['sessions', 'sessions_with_state_partners', 'unnamed_attendances'],
  attendance_agg: ['named_attendances'],
  people_agg: ['unique_participants', 'women', ...prefixed('sg', STAKEHOLDER_GROUPS)],
  action_agg: ['ap_total', ...prefixed('ap', ACTION_POINT_STATUSES)],
  dispute_agg: [...figureNames(DISPUTE_MONTHS), 'median_days'],
  initiative_agg: figureNames(INITIATIVE_MONTHS),
  warning_agg: figureNames(WARNING_MONTHS),
};

/** The aggregates whose figures count people: left out when the people figures are published from cells. */
const PEOPLE_AGGREGATES = ['attendance_agg', 'people_agg'];

const selectedColumns = (withPeople: boolean) =>
  Object.entries(AGGREGATE_COLUMNS)
    .filter(([cte]) => withPeople || !PEOPLE_AGGREGATES.includes(cte))
    .flatMap(([cte, columns]) => columns.map((c) => `${cte}.${c}`))
    .join(', ');

/**
 * Every count-type figure of GET /metrics/impact in one statement (without the people figures when
 * `withPeople` is false: disclosure control publishes those from cells, people-cells.sql.ts): one aggregate CTE per source
 * table, each grouped by the same three key columns, then joined on them. Nothing but the
 * aggregates (one row per group) leaves PostgreSQL.
 */
export function impactCountsSql(ctx: MetricsSqlContext, withPeople = true): string {
  const ungrouped = !ctx.groupBy;
  // Only rows of networks have a network's name: other questions skip the join.
  const byNetwork = ctx.groupBy === 'network';
  return `
WITH ${[...(usesRollups(ctx.rollups) && ctx.dirtyMonths ? [dirtyMonthsCte(ctx)] : []), ...sessionSideCtes(ctx)].join(',\n')},
${activityCtes(ctx).join(',\n')},
indicator_groups AS (
  SELECT DISTINCT ${GROUP_KEY_LIST} FROM (${indicatorRowsSql(ctx)}) v
),
group_keys AS (
  ${['session_agg', 'dispute_agg', 'initiative_agg', 'disbursed_agg', 'warning_agg', 'indicator_groups'].map((t) => `SELECT ${GROUP_KEY_LIST} FROM ${t}`).join('\n  UNION ')}
  ${ungrouped ? `UNION SELECT '', '', ''` : ''}
)
SELECT k.g_country, k.g_network, k.g_period, ${byNetwork ? 'n.name' : 'CAST(NULL AS text)'} AS network_name,
  ${selectedColumns(withPeople)},
  committed_agg.money AS budget_committed, disbursed_agg.money AS disbursed
FROM group_keys k
  LEFT JOIN session_agg USING (${GROUP_KEY_LIST})
  ${withPeople ? `LEFT JOIN attendance_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN people_agg USING (${GROUP_KEY_LIST})` : ''}
  LEFT JOIN action_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN dispute_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN initiative_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN committed_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN disbursed_agg USING (${GROUP_KEY_LIST})
  LEFT JOIN warning_agg USING (${GROUP_KEY_LIST})
  ${byNetwork ? `LEFT JOIN networks n ON n.id = CAST(NULLIF(k.g_network, '') AS uuid)` : ''}
ORDER BY k.g_country, ${byNetwork ? 'n.name NULLS FIRST, ' : ''}k.g_network, k.g_period`;
}
