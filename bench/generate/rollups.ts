import { Client } from 'pg';
import { MARK_ALL_MONTHS, refreshEverything, SqlRunner } from '../../src/insights/metrics-rollup-refresh';

const runner = (client: Client): SqlRunner => async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];

/**
 * The load skips the triggers that mark dirty months (session_replication_role = replica): the
 * metrics rollups are built once at the end, by the worker's own refresh over every month (and
 * then at once, with no delay, every quarter and year), the countries split between the two lanes
 * (alternately by session count, so the halves are even).
 */
export async function buildRollups(lanes: Client[]): Promise<number> {
  await lanes[0].query(MARK_ALL_MONTHS);
  const { rows } = await lanes[0].query<{ code: string }>(`SELECT country_code AS code FROM sessions GROUP BY country_code ORDER BY count(*) DESC`);
  const halves = lanes.map((_, lane) => rows.filter((_, i) => i % lanes.length === lane).map((r) => r.code));
  const done = await Promise.all(lanes.map((client, lane) => refreshEverything(runner(client), halves[lane])));
  // Months with indicator values but no sessions (in no lane's countries) are left: one last round.
  const rest = await refreshEverything(runner(lanes[0]));
  await analyzeRollups(lanes[0]);
  return done.reduce((sum, n) => sum + n, rest);
}

/**
 * Refreshes the months marked dirty, as the worker would: after a migration that adds a rollup
 * (and marks the months it must build), before the metrics questions are measured.
 */
export async function refreshMarkedMonths(client: Client): Promise<number> {
  const cells = await refreshEverything(runner(client));
  if (cells) await analyzeRollups(client);
  return cells;
}

async function analyzeRollups(client: Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'metrics\\_%' ORDER BY 1`);
  await client.query(`VACUUM (ANALYZE) ${rows.map((r) => r.name).join(', ')}`);
}
