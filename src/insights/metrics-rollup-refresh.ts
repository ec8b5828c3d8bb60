import { ACTION_POINT_STATUSES } from '../field-work/field-work-enums';
import { COUNTED_SESSIONS_WHERE, PEOPLE_COLUMNS, PEOPLE_COUNTS, SESSION_MONTH_FIGURES, STATE_PARTNER_PRESENT, UNNAMED_ATTENDANCE, UNNAMED_ATTENDANCE_KEY } from './impact-metrics-sessions.sql';
import { ACTIVITY_ROLLUPS, activityRefreshStatements, monthsOf } from './metrics-activity-rollups';
import { PERIOD_KINDS, PERIOD_SPANS } from './metrics-rollup-plan';
import { METRICS_TRANSACTION_SETTINGS } from './metrics-sql-context';

/**
 * Recomputes the metrics rollups of dirty (country, month) cells, and later the distinct people
 * of their quarters and years (migrations MetricsRollups, MetricsActivityRollups and
 * MetricsStalePeoplePeriods say what the tables hold and why). Plain SQL over any client, so the
 * worker (TypeORM) and the bench generator (pg) rebuild them with the same statements.
 */
export type SqlRunner = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** A refresh recomputes whole years of a country: more than an API statement may take. */
const REFRESH_STATEMENT_TIMEOUT_MS = 600_000;

/** The cells of one refresh: `$1` country codes and `$2` months (first days), pairwise. */
const CELLS = `SELECT DISTINCT * FROM unnest(CAST($1 AS char(2)[]), CAST($2 AS date[])) AS c(country_code, month)`;

/** The kinds of period whose people a month's refresh leaves to a later one (refreshStalePeriods). */
const DEFERRED_KINDS = PERIOD_KINDS.filter((k) => k !== 'month');
const spanOf = (kind: string) => `CASE ${kind} ${PERIOD_KINDS.map((k) => `WHEN '${k}' THEN interval '${PERIOD_SPANS[k]}'`).join(' ')} END`;

/** The dirty months as people periods of their own (the month's people are refreshed with it). */
const MONTH_PEOPLE_CELLS = `SELECT c.country_code, 'month' AS kind, interval '1 month' AS span, c.month AS start FROM (${CELLS}) c`;

/** The stale periods of one refresh: `$1` country codes, `$2` kinds and `$3` first days, by position. */
const STALE_PERIODS = `SELECT DISTINCT * FROM unnest(CAST($1 AS char(2)[]), CAST($2 AS text[]), CAST($3 AS date[])) AS st(country_code, kind, start)`;
const STALE_PEOPLE_CELLS = `SELECT st.country_code, st.kind, ${spanOf('st.kind')} AS span, st.start FROM (${STALE_PERIODS}) st`;

const SESSION_MONTHS = `
INSERT INTO metrics_session_months (country_code, network_id, month, ${SESSION_MONTH_FIGURES.join(', ')})
SELECT s.country_code, s.network_id, c.month, count(*), count(*) FILTER (WHERE ${STATE_PARTNER_PRESENT}), sum(${UNNAMED_ATTENDANCE}),
  coalesce(sum(att.n), 0), coalesce(sum(ap.total), 0), ${ACTION_POINT_STATUSES.map((st) => `coalesce(sum(ap.${st}), 0)`).join(', ')},
  coalesce(sum(att.k), 0), sum(${UNNAMED_ATTENDANCE_KEY})
FROM (${CELLS}) c
  JOIN sessions s ON s.country_code = c.country_code AND s.held_on >= c.month AND s.held_on < CAST(c.month + interval '1 month' AS date)
  LEFT JOIN LATERAL (SELECT count(*) AS n, sum(a.cell_key) AS k FROM session_attendance a WHERE a.session_id = s.id) att ON TRUE
  LEFT JOIN LATERAL (
    SELECT count(*) AS total, ${ACTION_POINT_STATUSES.map((st) => `count(*) FILTER (WHERE ap.status = '${st}') AS ${st}`).join(', ')}
    FROM action_points ap WHERE ap.session_id = s.id
  ) ap ON TRUE
WHERE ${COUNTED_SESSIONS_WHERE}
GROUP BY s.country_code, s.network_id, c.month`;

/** Sums of the network months just written (the statement before it in REFRESH_STATEMENTS). */
const COUNTRY_MONTHS = `
INSERT INTO metrics_country_months (country_code, month, ${SESSION_MONTH_FIGURES.join(', ')})
SELECT r.country_code, r.month, ${SESSION_MONTH_FIGURES.map((c) => `sum(r.${c})`).join(', ')}
FROM (${CELLS}) c JOIN metrics_session_months r ON r.country_code = c.country_code AND r.month = c.month
GROUP BY r.country_code, r.month`;

/** Deletes and recomputes the distinct people of `cells` (country_code, kind, span, start). */
const peoplePeriodStatements = (cells: string): string[] => [
  `DELETE FROM metrics_people_periods r USING (${cells}) pc WHERE r.country_code = pc.country_code AND r.period_kind = pc.kind AND r.period_start = pc.start`,
  `
INSERT INTO metrics_people_periods (country_code, period_kind, period_start, ${PEOPLE_COLUMNS.join(', ')})
SELECT d.country_code, d.kind, d.start, ${PEOPLE_COUNTS}
FROM (
  SELECT DISTINCT pc.country_code, pc.kind, pc.start, a.participant_id
  FROM (${cells}) pc
    JOIN sessions s ON s.country_code = pc.country_code AND s.held_on >= pc.start AND s.held_on < CAST(pc.start + pc.span AS date)
    JOIN session_attendance a ON a.session_id = s.id
  WHERE ${COUNTED_SESSIONS_WHERE} AND a.participant_id IS NOT NULL
) d JOIN participants p ON p.id = d.participant_id
GROUP BY d.country_code, d.kind, d.start`,
];

/** The quarter and year of every dirty month, left for refreshStalePeriods (the first mark stays). */
const MARK_STALE_PERIODS = `
INSERT INTO metrics_stale_people_periods (country_code, period_kind, period_start)
SELECT DISTINCT c.country_code, k.kind, CAST(date_trunc(k.kind, c.month) AS date)
FROM (${CELLS}) c CROSS JOIN (VALUES ${DEFERRED_KINDS.map((k) => `('${k}')`).join(', ')}) k(kind)
ON CONFLICT DO NOTHING`;

const INDICATOR_MONTHS = `
INSERT INTO metrics_indicator_months (country_code, indicator, period, value_sum, value_count)
SELECT c.country_code, v.indicator, v.period, sum(v.value), count(*)
FROM (${CELLS}) c
  JOIN networks n ON n.country_code = c.country_code
  JOIN indicator_values v ON v.network_id = n.id AND v.period = to_char(c.month, 'YYYY-MM')
WHERE v.archived_at IS NULL
GROUP BY c.country_code, v.indicator, v.period`;

/** The statements of one refresh, in order; every one takes the cells as $1/$2. */
export const REFRESH_STATEMENTS: readonly string[] = [
  `DELETE FROM metrics_session_months r USING (${CELLS}) c WHERE r.country_code = c.country_code AND r.month = c.month`,
  SESSION_MONTHS,
  `DELETE FROM metrics_country_months r USING (${CELLS}) c WHERE r.country_code = c.country_code AND r.month = c.month`,
  COUNTRY_MONTHS,
  ...peoplePeriodStatements(MONTH_PEOPLE_CELLS),
  MARK_STALE_PERIODS,
  `DELETE FROM metrics_indicator_months r USING (${CELLS}) c WHERE r.country_code = c.country_code AND r.period = to_char(c.month, 'YYYY-MM')`,
  INDICATOR_MONTHS,
  ...ACTIVITY_ROLLUPS.flatMap((rollup) => activityRefreshStatements(rollup, `(${CELLS}) c`)),
  // In the refresh's REPEATABLE READ snapshot: a marker committed after it began is not seen,
  // so it stays, and its month is recomputed next time.
  `DELETE FROM metrics_dirty_months d USING (${CELLS}) c WHERE d.country_code = c.country_code AND d.month = c.month`,
];

/** Marks every month that holds figures of any kind: a full rebuild is a refresh of all of them. */
export const MARK_ALL_MONTHS = `INSERT INTO metrics_dirty_months (country_code, month)
  SELECT DISTINCT country_code, CAST(date_trunc('month', held_on) AS date) FROM sessions
  UNION SELECT DISTINCT n.country_code, to_date(v.period, 'YYYY-MM') FROM indicator_values v JOIN networks n ON n.id = v.network_id
  ${ACTIVITY_ROLLUPS.map((rollup) => `UNION ${monthsOf(rollup)}`).join('\n  ')}`;

export interface RefreshResult {
  /** Cells (or periods) recomputed. */
  cells: number;
  /** Cells still dirty after this refresh (more than one round's worth, or written meanwhile). */
  remaining: number;
}

/** The countries filter of the markers' queries (`$n` is a text[] or NULL for every country). */
const inCountries = (n: number) => `(CAST($${n} AS text[]) IS NULL OR country_code = ANY(CAST($${n} AS text[])))`;

/**
 * One round of a refresh in one REPEATABLE READ transaction that `run` must be the only user of:
 * it recomputes from its snapshot, never adds to what is stored, so it is safe to run twice or
 * concurrently with writes.
 */
async function inRefreshTransaction<T>(run: SqlRunner, body: () => Promise<T>): Promise<T> {
  await run('START TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  try {
    for (const setting of METRICS_TRANSACTION_SETTINGS) await run(setting);
    await run(`SET LOCAL statement_timeout = ${REFRESH_STATEMENT_TIMEOUT_MS}`);
    const result = await body();
    await run('COMMIT');
    return result;
  } catch (error) {
    await run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * One refresh round: up to `limit` dirty cells (oldest markers first), recomputed and their
 * markers deleted; their quarters and years are marked stale for refreshStalePeriods
 * (`countryCodes` limits it to those countries: the bench generator builds two halves at once).
 */
export function refreshDirtyCells(run: SqlRunner, limit: number, countryCodes: readonly string[] | null = null): Promise<RefreshResult> {
  return inRefreshTransaction(run, async () => {
    const cells = await run<{ country_code: string; month: string }>(
      `SELECT country_code, to_char(month, 'YYYY-MM-DD') AS month FROM metrics_dirty_months
        WHERE ${inCountries(2)} GROUP BY country_code, month ORDER BY min(id) LIMIT $1`,
      [limit, countryCodes],
    );
    if (cells.length) {
      const params = [cells.map((c) => c.country_code), cells.map((c) => c.month)];
      for (const sql of REFRESH_STATEMENTS) await run(sql, params);
    }
    const [left] = await run<{ n: number }>(`SELECT count(DISTINCT (country_code, month))::int AS n FROM metrics_dirty_months`);
    return { cells: cells.length, remaining: left.n };
  });
}

/** Marks at least `$age` ms old, of the countries `$countries` (parameter numbers). */
const staleDue = (age: number, countries: number) => `marked_at <= now() - make_interval(secs => $${age} / 1000.0) AND ${inCountries(countries)}`;

/**
 * One round of the quarters and years marked stale at least `minAgeMs` ago (oldest first, up to
 * `limit`): their distinct people recomputed and their marks deleted. `remaining` counts the
 * marks old enough that this round left.
 */
export function refreshStalePeriods(run: SqlRunner, limit: number, minAgeMs: number, countryCodes: readonly string[] | null = null): Promise<RefreshResult> {
  return inRefreshTransaction(run, async () => {
    const periods = await run<{ country_code: string; kind: string; start: string }>(
      `SELECT country_code, period_kind AS kind, to_char(period_start, 'YYYY-MM-DD') AS start FROM metrics_stale_people_periods
        WHERE ${staleDue(2, 3)} ORDER BY marked_at, country_code, period_kind, period_start LIMIT $1`,
      [limit, minAgeMs, countryCodes],
    );
    if (periods.length) {
      const params = [periods.map((p) => p.country_code), periods.map((p) => p.kind), periods.map((p) => p.start)];
      for (const sql of peoplePeriodStatements(STALE_PEOPLE_CELLS)) await run(sql, params);
      await run(
        `DELETE FROM metrics_stale_people_periods m USING (${STALE_PERIODS}) st WHERE m.country_code = st.country_code AND m.period_kind = st.kind AND m.period_start = st.start`,
        params,
      );
    }
    const [left] = await run<{ n: number }>(`SELECT count(*)::int AS n FROM metrics_stale_people_periods WHERE ${staleDue(1, 2)}`, [minAgeMs, countryCodes]);
    return { cells: periods.length, remaining: left.n };
  });
}

/** Every dirty month and every stale period of `countryCodes` (all countries when null), at once. */
export async function refreshEverything(run: SqlRunner, countryCodes: readonly string[] | null = null): Promise<number> {
  const months = await refreshDirtyCells(run, 1_000_000, countryCodes);
  const periods = await refreshStalePeriods(run, 1_000_000, 0, countryCodes);
  return months.cells + periods.cells;
}
