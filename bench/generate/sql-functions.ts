import { Client } from 'pg';
import { COUNTRIES, FIRST_DAY, MONTHS } from './dataset-sizes';

/**
 * Session-local (pg_temp) SQL functions that make every generated value a pure function of the
 * seed and the row's index, so `INSERT … SELECT generate_series` is deterministic without
 * setseed() and without shipping rows from Node. They are simple SQL functions, so the planner
 * inlines them. Nothing is left behind in the bench database's schema.
 */
export async function createSqlFunctions(client: Client, seed: number): Promise<void> {
  const codes = COUNTRIES.map(([code]) => `'${code}'`).join(',');
  await client.query(`
    CREATE FUNCTION pg_temp.r(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT ((hashint8extended(i, ${seed}::bigint * 1000 + salt) & 2147483647)::float8 / 2147483648.0) $$;
    CREATE FUNCTION pg_temp.u(kind text, i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT overlay(overlay(md5('${seed}:' || kind || ':' || i) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid $$;
    CREATE FUNCTION pg_temp.cc(c int) RETURNS char(2) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT (ARRAY[${codes}])[c + 1] $$;
    CREATE FUNCTION pg_temp.month_at(k int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT (ARRAY[${seasonalMonthTable().join(',')}])[k + 1] $$;
    CREATE FUNCTION pg_temp.day_in(m int, r float8) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT (DATE '${FIRST_DAY}' + make_interval(months => m))::date + floor(r * 28)::int $$;
  `);
}

/** Relative activity by calendar month: field work slows in the hot season and at the year's end. */
const SEASON = [0.7, 0.9, 1.1, 1.2, 1.2, 1.0, 0.7, 0.6, 1.1, 1.3, 1.2, 0.8];

/**
 * 1,000 quantiles of the month distribution (month index from FIRST_DAY): seasonal, and growing
 * over the years as the programme expands (the last year has about twice the first year's work).
 */
export function seasonalMonthTable(): number[] {
  const weights = Array.from({ length: MONTHS }, (_, m) => SEASON[m % 12] * (1 + m / MONTHS));
  const total = weights.reduce((a, b) => a + b, 0);
  const table: number[] = [];
  let cumulative = 0;
  let month = 0;
  for (let k = 0; k < 1000; k++) {
    const target = ((k + 0.5) / 1000) * total;
    while (cumulative + weights[month] < target) cumulative += weights[month++];
    table.push(month);
  }
  return table;
}
