import { dirtyMonthsCte, sessionSideCtes } from '../impact-metrics-sessions.sql';
import { usesRollups } from '../metrics-rollup-plan';
import { GROUP_KEY_LIST, MetricsSqlContext } from '../metrics-sql-context';

/**
 * The true counts behind the published people figures, as cells with the sums of their records'
 * keys (docs/metrics.md, "Disclosure control"). Built from the same CTEs as every other figure,
 * grouped by the context's CellGrain instead of the question's groupBy, so rollups and raw rows
 * give the same cells.
 */

/** A cell row: its grain's keys, then counts and key sums as PostgreSQL returns them (bigint sums as strings). */
export type CellRow = { g_country: string; g_network: string; g_period: string } & Record<string, string | number | null>;

function withSessionSide(ctx: MetricsSqlContext, select: string): string {
  const ctes = [...(usesRollups(ctx.rollups) && ctx.dirtyMonths ? [dirtyMonthsCte(ctx)] : []), ...sessionSideCtes(ctx)];
  return `WITH ${ctes.join(',\n')}\n${select}`;
}

/** Named and unnamed attendances per network and month (grain { unit: 'network', period: 'month' }). */
export function attendanceCellsSql(ctx: MetricsSqlContext): string {
  return withSessionSide(
    ctx,
    `SELECT ${GROUP_KEY_LIST}, session_agg.unnamed_attendances, session_agg.unnamed_attendances_key,
  coalesce(attendance_agg.named_attendances, 0) AS named_attendances, coalesce(attendance_agg.named_attendances_key, 0) AS named_attendances_key
FROM session_agg LEFT JOIN attendance_agg USING (${GROUP_KEY_LIST})`,
  );
}

/** Distinct people, women and each stakeholder group per unit and period of the context's grain. */
export function peopleCellsSql(ctx: MetricsSqlContext): string {
  return withSessionSide(ctx, `SELECT * FROM people_agg`);
}
