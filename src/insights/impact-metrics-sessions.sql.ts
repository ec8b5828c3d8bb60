import { ACTION_POINT_STATUSES } from '../field-work/field-work-enums';
import { STAKEHOLDER_GROUPS } from '../people/people-enums';
import { PERIOD_SPANS, PeriodKind } from './metrics-rollup-plan';
import { GROUP_KEY_LIST, MetricsSqlContext, MetricsSource } from './metrics-sql-context';

/**
 * The session-side CTEs of the impact counts (session_agg, attendance_agg, people_agg,
 * action_agg), from the raw tables or, where the question allows (metrics-rollup-plan.ts), from
 * the rollups plus the raw rows of the months still marked dirty.
 */

export const SESSIONS: MetricsSource = { country: 's.country_code', network: 's.network_id', date: 's.held_on' };
const SESSION_MONTHS: MetricsSource = { country: 'r.country_code', network: 'r.network_id', date: 'r.month' };
const COUNTRY_MONTHS: MetricsSource = { country: 'r.country_code', date: 'r.month' };
const PEOPLE_PERIODS: MetricsSource = { country: 'r.country_code', date: 'r.period_start' };
const DIRTY_MONTHS: MetricsSource = { country: 'd.country_code', date: 'd.month' };
const STALE_PERIODS: MetricsSource = { country: 'st.country_code', date: 'st.period_start' };

/** Archived sessions never count (on alias `s`). */
export const COUNTED_SESSIONS_WHERE = 's.archived_at IS NULL';
/** Someone from the state (a police partner) attended session `s`. */
export const STATE_PARTNER_PRESENT = 'EXISTS (SELECT 1 FROM session_attendance a WHERE a.session_id = s.id AND a.police_partner_id IS NOT NULL)';
export const UNNAMED_ATTENDANCE = 's.unnamed_women + s.unnamed_men + s.unnamed_youth';
/** A session's unnamed attendees in a key sum: the session's key once per person (on alias `s`). */
export const UNNAMED_ATTENDANCE_KEY = `s.cell_key * (${UNNAMED_ATTENDANCE})`;

const AP_COLUMNS = ['ap_total', ...ACTION_POINT_STATUSES.map((st) => `ap_${st}`)];
/**
 * Sums of the record keys of the attendance counts (cell-key perturbation, docs/metrics.md): the
 * attendance rows' keys, and each session's key times its unnamed attendees.
 */
export const ATTENDANCE_KEY_COLUMNS = ['named_attendances_key', 'unnamed_attendances_key'] as const;
/** The figures of metrics_session_months and metrics_country_months, in their column order. */
export const SESSION_MONTH_FIGURES: readonly string[] = ['sessions', 'sessions_with_state_partners', 'unnamed_attendances', 'named_attendances', ...AP_COLUMNS, ...ATTENDANCE_KEY_COLUMNS];
/** The distinct-people figures (metrics_people_periods), each followed in the list by its key sums' column. */
export const PEOPLE_FIGURES: readonly string[] = ['unique_participants', 'women', ...STAKEHOLDER_GROUPS.map((g) => `sg_${g}`)];
export const PEOPLE_COLUMNS: readonly string[] = [...PEOPLE_FIGURES, ...PEOPLE_FIGURES.map((f) => `${f}_key`)];
/** A session's unnamed attendees in a key sum: the session's key once per person (on alias `s`). */

export const countBy = (prefix: string, column: string, values: readonly (string | number)[]) =>
  values.map((v) => `count(*) FILTER (WHERE ${column} = '${v}')::int AS ${prefix}_${v}`).join(',\n    ');

/** Key sums can outgrow an int (255 per record counted). */
const sumOf = (columns: readonly string[]) => columns.map((c) => `sum(${c})::${c.endsWith('_key') ? 'bigint' : 'int'} AS ${c}`).join(', ');

/** Scope, countries and every month the range touches (as a range on `month`: the index serves it). */
function dirtyMonthsWhere(ctx: MetricsSqlContext): string {
  const clauses = [ctx.where(DIRTY_MONTHS, false)];
  if (ctx.params.pFrom) clauses.push(`d.month >= CAST(date_trunc('month', CAST(:pFrom AS date)) AS date)`);
  if (ctx.params.pTo) clauses.push(`d.month <= CAST(:pTo AS date)`);
  return clauses.join(' AND ');
}

/**
 * The (country, month) cells of the question still marked dirty: their figures come from the raw
 * rows. Every rollup-backed part of a statement reads this one CTE, so it is one snapshot's view.
 */
export function dirtyMonthsCte(ctx: MetricsSqlContext): string {
  return `dirty AS MATERIALIZED (SELECT DISTINCT d.country_code, d.month FROM metrics_dirty_months d WHERE ${dirtyMonthsWhere(ctx)})`;
}

/**
 * The question's quarters or years of `kind` whose people the worker has yet to recompute
 * (migration MetricsStalePeoplePeriods). The plan reads people from those rollups only over whole
 * periods, so the periods of the range are those starting in it.
 */
function stalePeriodsWhere(ctx: MetricsSqlContext, kind: PeriodKind): string {
  return `st.period_kind = '${kind}' AND ${ctx.where(STALE_PERIODS)}`;
}

/** The plan reads people of quarters or years from the rollup: those may be stale. */
const stalePeriodKind = (ctx: MetricsSqlContext): PeriodKind | null => (ctx.rollups.people && ctx.rollups.people !== 'month' ? ctx.rollups.people : null);

/**
 * Whether any month of the question is marked dirty (`dirty`), and any of its periods stale
 * (`stale`), asked first in the question's snapshot: with neither (the usual case once the worker
 * has caught up) the statements read the rollups alone, simpler to plan and to run.
 */
export function dirtyStateSql(ctx: MetricsSqlContext): string {
  const kind = stalePeriodKind(ctx);
  const stale = kind ? `EXISTS (SELECT 1 FROM metrics_stale_people_periods st WHERE ${stalePeriodsWhere(ctx, kind)})` : 'FALSE';
  return `SELECT EXISTS (SELECT 1 FROM metrics_dirty_months d WHERE ${dirtyMonthsWhere(ctx)}) AS dirty, ${stale} AS stale`;
}

/** The live sessions of the question (the raw path). */
function allSessionsCte(ctx: MetricsSqlContext): string {
  return `s AS MATERIALIZED (
  SELECT s.id, ${ctx.keys(SESSIONS)}, ${UNNAMED_ATTENDANCE} AS unnamed, ${UNNAMED_ATTENDANCE_KEY} AS unnamed_key
  FROM sessions s
  WHERE ${COUNTED_SESSIONS_WHERE} AND ${ctx.where(SESSIONS)}
)`;
}

function rawSessionAggs(ctx: MetricsSqlContext): string[] {
  return [
    `session_agg AS (
  SELECT ${GROUP_KEY_LIST}, count(*)::int AS sessions,
    count(*) FILTER (WHERE ${STATE_PARTNER_PRESENT})::int AS sessions_with_state_partners,
    sum(unnamed)::int AS unnamed_attendances, sum(unnamed_key)::bigint AS unnamed_attendances_key
  FROM s GROUP BY ${GROUP_KEY_LIST}
)`,
    `attendance_agg AS (
  SELECT ${GROUP_KEY_LIST}, count(*)::int AS named_attendances, sum(a.cell_key)::bigint AS named_attendances_key
  FROM s JOIN session_attendance a ON a.session_id = s.id
  GROUP BY ${GROUP_KEY_LIST}
)`,
    // From sessions rather than the CTE s: with the table's statistics the planner probes the action
    // points of a country's sessions instead of hashing all of them (s has no statistics).
    `action_agg AS (
  SELECT ${ctx.keys(SESSIONS)}, count(*)::int AS ap_total,
    ${countBy('ap', 'ap.status', ACTION_POINT_STATUSES)}
  FROM sessions s JOIN action_points ap ON ap.session_id = s.id
  WHERE ${COUNTED_SESSIONS_WHERE} AND ${ctx.where(SESSIONS)}
  GROUP BY ${GROUP_KEY_LIST}
)`,
  ];
}

/**
 * Session-side counts from the month rollup (per network when the question is about networks,
 * per country otherwise: 180 times fewer rows for a country), dirty months counted session by
 * session.
 */
function rollupSessionAggs(ctx: MetricsSqlContext): string[] {
  const perNetwork = ctx.rollups.sessions === 'network';
  const source = perNetwork ? SESSION_MONTHS : COUNTRY_MONTHS;
  const rollup = `SELECT ${ctx.keys(source)}, ${SESSION_MONTH_FIGURES.map((c) => `r.${c}`).join(', ')}
  FROM ${perNetwork ? 'metrics_session_months' : 'metrics_country_months'} r
  WHERE ${ctx.where(source)}`;
  const ctes = [];
  if (ctx.dirtyMonths) {
    ctes.push(`dirty_sessions AS MATERIALIZED (
  SELECT s.id, ${ctx.keys(SESSIONS)}, ${UNNAMED_ATTENDANCE} AS unnamed, ${UNNAMED_ATTENDANCE_KEY} AS unnamed_key,
    ${STATE_PARTNER_PRESENT} AS with_state_partner
  FROM dirty d JOIN sessions s ON s.country_code = d.country_code AND s.held_on >= d.month AND s.held_on < CAST(d.month + interval '1 month' AS date)
  WHERE ${COUNTED_SESSIONS_WHERE} AND ${ctx.where(SESSIONS)}
)`);
  }
  const cells = ctx.dirtyMonths
    ? `${rollup} AND NOT EXISTS (SELECT 1 FROM dirty d WHERE d.country_code = r.country_code AND d.month = r.month)
  UNION ALL
  SELECT s.g_country, s.g_network, s.g_period, 1, CAST(s.with_state_partner AS int), s.unnamed,
    (SELECT count(*) FROM session_attendance a WHERE a.session_id = s.id), ap.*,
    (SELECT coalesce(sum(a.cell_key), 0) FROM session_attendance a WHERE a.session_id = s.id), s.unnamed_key
  FROM dirty_sessions s CROSS JOIN LATERAL (
    SELECT count(*) AS ap_total, ${ACTION_POINT_STATUSES.map((st) => `count(*) FILTER (WHERE ap.status = '${st}') AS ap_${st}`).join(', ')}
    FROM action_points ap WHERE ap.session_id = s.id
  ) ap`
    : rollup;
  return [
    ...ctes,
    `session_agg AS (
  SELECT ${GROUP_KEY_LIST}, ${sumOf(SESSION_MONTH_FIGURES)}
  FROM (${cells}) session_cells GROUP BY ${GROUP_KEY_LIST}
)`,
    `attendance_agg AS (SELECT ${GROUP_KEY_LIST}, named_attendances, named_attendances_key FROM session_agg)`,
    `action_agg AS (SELECT ${GROUP_KEY_LIST}, ${AP_COLUMNS.join(', ')} FROM session_agg)`,
  ];
}

/** Counts and key sums of distinct people `p` (people_agg's columns, PEOPLE_COLUMNS), in one pass over them. */
export const PEOPLE_COUNTS = [
  `count(*)::int AS unique_participants`,
  `count(*) FILTER (WHERE p.gender = 'female')::int AS women`,
  ...STAKEHOLDER_GROUPS.map((g) => `count(*) FILTER (WHERE p.stakeholder_group = '${g}')::int AS sg_${g}`),
  `sum(p.cell_key)::bigint AS unique_participants_key`,
  `coalesce(sum(p.cell_key) FILTER (WHERE p.gender = 'female'), 0)::bigint AS women_key`,
  ...STAKEHOLDER_GROUPS.map((g) => `coalesce(sum(p.cell_key) FILTER (WHERE p.stakeholder_group = '${g}'), 0)::bigint AS sg_${g}_key`),
].join(',\n    ');

/** Distinct people of each group of `sessions` (a CTE with the group keys and `id`), with gender and group. */
function distinctPeopleCounts(sessions: string, extraKey = '', fewRows = false): string {
  const keys = extraKey ? `${GROUP_KEY_LIST}, ${extraKey}` : GROUP_KEY_LIST;
  // A handful of dirty periods: each person by its key. OFFSET 0 keeps the planner from turning
  // it into a hash of all participants, built even when there is nothing to look up.
  const person = fewRows
    ? `CROSS JOIN LATERAL (SELECT p.gender, p.stakeholder_group, p.cell_key FROM participants p WHERE p.id = d.participant_id OFFSET 0) p`
    : `JOIN participants p ON p.id = d.participant_id`;
  // Distinct people first, then their gender and group: the join reads each person once per group.
  return `SELECT ${GROUP_KEY_LIST}, ${PEOPLE_COUNTS}
  FROM (SELECT DISTINCT ${keys.split(', ').map((k) => `s.${k}`).join(', ')}, a.participant_id
          FROM ${sessions} s JOIN session_attendance a ON a.session_id = s.id WHERE a.participant_id IS NOT NULL) d
  ${person}
  GROUP BY ${keys.split(', ').map((k) => `d.${k}`).join(', ')}`;
}

/**
 * People of each (country, period) from metrics_people_periods; periods holding a dirty month, or
 * marked stale, are counted from the raw rows, per country like the rollup (attendees are always
 * from the session's country, so countries add up).
 */
function rollupPeopleAgg(ctx: MetricsSqlContext, kind: PeriodKind): string[] {
  const rollup = `SELECT ${ctx.keys(PEOPLE_PERIODS)}, ${PEOPLE_COLUMNS.map((c) => `r.${c}`).join(', ')}
  FROM metrics_people_periods r
  WHERE r.period_kind = '${kind}' AND ${ctx.where(PEOPLE_PERIODS)}`;
  const rawPeriods: string[] = [];
  if (ctx.dirtyMonths) rawPeriods.push(`SELECT country_code, CAST(date_trunc('${kind}', month) AS date) AS start FROM dirty`);
  if (ctx.stalePeriods && stalePeriodKind(ctx)) rawPeriods.push(`SELECT st.country_code, st.period_start AS start FROM metrics_stale_people_periods st WHERE ${stalePeriodsWhere(ctx, kind)}`);
  if (!rawPeriods.length) return [`people_agg AS (SELECT ${GROUP_KEY_LIST}, ${sumOf(PEOPLE_COLUMNS)} FROM (${rollup}) people_cells GROUP BY ${GROUP_KEY_LIST})`];
  return [
    `people_dirty AS MATERIALIZED (SELECT DISTINCT country_code, start FROM (${rawPeriods.join(' UNION ALL ')}) raw_periods)`,
    `people_dirty_sessions AS MATERIALIZED (
  SELECT s.id, ${ctx.keys(SESSIONS)}, s.country_code AS cell_country
  FROM people_dirty pd JOIN sessions s ON s.country_code = pd.country_code AND s.held_on >= pd.start AND s.held_on < CAST(pd.start + interval '${PERIOD_SPANS[kind]}' AS date)
  WHERE ${COUNTED_SESSIONS_WHERE} AND ${ctx.where(SESSIONS)}
)`,
    `people_agg AS (
  SELECT ${GROUP_KEY_LIST}, ${sumOf(PEOPLE_COLUMNS)} FROM (
    ${rollup} AND NOT EXISTS (SELECT 1 FROM people_dirty pd WHERE pd.country_code = r.country_code AND pd.start = r.period_start)
    UNION ALL
    SELECT ${GROUP_KEY_LIST}, ${PEOPLE_COLUMNS.join(', ')} FROM (${distinctPeopleCounts('people_dirty_sessions', 'cell_country', true)}) raw
  ) people_cells GROUP BY ${GROUP_KEY_LIST}
)`,
  ];
}

/** session_agg, attendance_agg, people_agg and action_agg (and what they need), as the plan says; the caller defines `dirty`. */
export function sessionSideCtes(ctx: MetricsSqlContext): string[] {
  const plan = ctx.rollups;
  const ctes: string[] = [];
  if (!plan.sessions || !plan.people) ctes.push(allSessionsCte(ctx));
  ctes.push(...(plan.sessions ? rollupSessionAggs(ctx) : rawSessionAggs(ctx)));
  ctes.push(...(plan.people ? rollupPeopleAgg(ctx, plan.people) : [`people_agg AS (${distinctPeopleCounts('s')})`]));
  return ctes;
}
