import { Client } from 'pg';
import { MARK_ALL_MONTHS, refreshDirtyCells, SqlRunner } from '../../src/insights/metrics-rollup-refresh';

const runner = (client: Client): SqlRunner => async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];

/**
 * The load skips the triggers that mark dirty months (session_replication_role = replica): the
 * metrics rollups are built once at the end, by the worker's own refresh over every month, the
 * countries split between the two lanes (alternately by session count, so the halves are even).
 */
export async function buildRollups(lanes: Client[]): Promise<number> {
  await lanes[0].query(MARK_ALL_MONTHS);
  const { rows } = await lanes[0].query<{ code: string }>(`SELECT country_code AS code FROM sessions GROUP BY country_code ORDER BY count(*) DESC`);
  const halves = lanes.map((_, lane) => rows.filter((_, i) => i % lanes.length === lane).map((r) => r.code));
  const done = await Promise.all(lanes.map((client, lane) => refreshDirtyCells(runner(client), 1_000_000, halves[lane])));
  // Months with indicator values but no sessions (in no lane's countries) are left: one last round.
  const rest = await refreshDirtyCells(runner(lanes[0]), 1_000_000);
  await lanes[0].query('VACUUM (ANALYZE) metrics_dirty_months, metrics_session_months, metrics_people_periods, metrics_indicator_months');
  return done.reduce((sum, r) => sum + r.cells, rest.cells);
}
