import { MigrationInterface, QueryRunner } from 'typeorm';

const DISPUTE_STATUSES = ['reported', 'in_mediation', 'escalated', 'resolved', 'referred', 'withdrawn', 'closed'];
const INITIATIVE_STATUSES = ['proposed', 'approved', 'in_progress', 'completed', 'cancelled'];
const RISK_FACTORS = Array.from({ length: 14 }, (_, i) => i + 1);

const integers = (columns: string[]) => columns.map((c) => `"${c}" integer NOT NULL`).join(', ');

/** Each rollup table: its columns after country_code and month, and its primary key's extra columns. */
const TABLES: { table: string; columns: string; extraKey?: string }[] = [
  { table: 'metrics_dispute_months', columns: integers(['ds_total', ...DISPUTE_STATUSES.map((s) => `ds_${s}`), 'ds_ever_resolved']) },
  { table: 'metrics_dispute_resolution_days', columns: `"days" integer NOT NULL, "disputes" integer NOT NULL`, extraKey: 'days' },
  { table: 'metrics_initiative_months', columns: integers(['in_total', ...INITIATIVE_STATUSES.map((s) => `in_${s}`)]) },
  { table: 'metrics_committed_months', columns: `"currency" character(3) NOT NULL, "amount" numeric NOT NULL`, extraKey: 'currency' },
  { table: 'metrics_disbursed_months', columns: `"currency" character(3) NOT NULL, "amount" numeric NOT NULL`, extraKey: 'currency' },
  { table: 'metrics_warning_months', columns: integers(['ew_total', ...RISK_FACTORS.map((n) => `rf_${n}`)]) },
];

/** The day an initiative counts on (row alias `r`): its start, or the day it was recorded. */
const initiativeDay = (r: string) => `coalesce(${r}.start_on, CAST(${r}.created_at AT TIME ZONE 'UTC' AS date))`;

/** A row changed one of `columns`: the (country, day) pairs of both versions, from old_rows o and new_rows n. */
const changedPairs = (day: (alias: string) => string, columns: string[]) =>
  `SELECT x.country_code, x.day FROM old_rows o JOIN new_rows n USING (id),
     LATERAL (VALUES (o.country_code, ${day('o')}), (n.country_code, ${day('n')})) x(country_code, day)
    WHERE (${columns.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `n.${c}`).join(', ')})`;

const disbursementPairs = (rows: string) => `SELECT i.country_code, r.disbursed_on FROM ${rows} r JOIN initiatives i ON i.id = r.initiative_id`;

/** (table, event, the SELECT of the (country_code, day) pairs the statement touched). */
const MARKERS: { table: string; event: 'INSERT' | 'UPDATE' | 'DELETE'; pairs: string }[] = [
  { table: 'disputes', event: 'INSERT', pairs: `SELECT country_code, reported_on FROM new_rows` },
  { table: 'disputes', event: 'DELETE', pairs: `SELECT country_code, reported_on FROM old_rows` },
  { table: 'disputes', event: 'UPDATE', pairs: changedPairs((r) => `${r}.reported_on`, ['country_code', 'reported_on', 'status', 'resolved_on', 'archived_at']) },
  { table: 'early_warnings', event: 'INSERT', pairs: `SELECT country_code, observed_on FROM new_rows` },
  { table: 'early_warnings', event: 'DELETE', pairs: `SELECT country_code, observed_on FROM old_rows` },
  { table: 'early_warnings', event: 'UPDATE', pairs: changedPairs((r) => `${r}.observed_on`, ['country_code', 'observed_on', 'status', 'risk_factors', 'archived_at']) },
  { table: 'initiatives', event: 'INSERT', pairs: `SELECT r.country_code, ${initiativeDay('r')} FROM new_rows r` },
  { table: 'initiatives', event: 'DELETE', pairs: `SELECT r.country_code, ${initiativeDay('r')} FROM old_rows r` },
  // Moving or archiving an initiative moves its disbursements too: their months are marked in both countries.
  {
    table: 'initiatives',
    event: 'UPDATE',
    pairs: `${changedPairs(initiativeDay, ['country_code', 'status', 'budget_amount', 'budget_currency', 'start_on', 'created_at', 'archived_at'])}
      UNION ALL
      SELECT x.country_code, b.disbursed_on FROM old_rows o JOIN new_rows n USING (id) JOIN disbursements b ON b.initiative_id = n.id,
        LATERAL (VALUES (o.country_code), (n.country_code)) x(country_code)
       WHERE (o.country_code, o.archived_at) IS DISTINCT FROM (n.country_code, n.archived_at)`,
  },
  // An initiative with disbursements cannot be deleted (ON DELETE RESTRICT): its row is there to join.
  { table: 'disbursements', event: 'INSERT', pairs: disbursementPairs('new_rows') },
  { table: 'disbursements', event: 'DELETE', pairs: disbursementPairs('old_rows') },
  {
    table: 'disbursements',
    event: 'UPDATE',
    pairs: `SELECT i.country_code, x.disbursed_on FROM old_rows o JOIN new_rows n USING (id),
              LATERAL (VALUES (o.initiative_id, o.disbursed_on), (n.initiative_id, n.disbursed_on)) x(initiative_id, disbursed_on)
              JOIN initiatives i ON i.id = x.initiative_id
             WHERE (o.initiative_id, o.amount, o.currency, o.disbursed_on) IS DISTINCT FROM (n.initiative_id, n.amount, n.currency, n.disbursed_on)`,
  },
];

const triggerName = (table: string, event: string) => `TRG_metrics_dirty_${table}_${event.toLowerCase()}`;
const functionName = (table: string, event: string) => `metrics_mark_dirty_${table}_${event.toLowerCase()}`;

/**
 * Country-month rollups of the impact figures that are not about sessions: disputes (counts by
 * status, and how many took how many days to resolve, so that a median over any months is exact),
 * initiatives (counts by status), committed budgets and disbursements (sums per currency), and
 * early warnings (counts by risk factor). Issue 6: after the session rollups, these were most of a
 * country's question (on the large bench dataset, reading 3,348 disputes, 10,164 disbursements
 * joined with 1,668 initiatives and 889 warnings for Iraq over two years; 8 of its 11 ms).
 *
 * They follow MetricsRollups exactly: every statement that changes what they count records the
 * (country, month) it touched in `metrics_dirty_months`, in its own transaction; a question reads
 * dirty months from the raw rows; the worker's refresh recomputes the cells and deletes the
 * markers its snapshot saw. The last statement marks every month that already has such rows, so
 * the worker builds the rollups of an existing database; until then those months are read raw.
 */
export class MetricsActivityRollups1796400000000 implements MigrationInterface {
  name = 'MetricsActivityRollups1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await queryRunner.query(`CREATE TABLE "${t.table}" (
        "country_code" character(2) NOT NULL,
        "month" date NOT NULL,
        ${t.columns},
        PRIMARY KEY ("country_code", "month"${t.extraKey ? `, "${t.extraKey}"` : ''})
      )`);
    }
    for (const m of MARKERS) {
      const transition = m.event === 'INSERT' ? 'NEW TABLE AS new_rows' : m.event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await queryRunner.query(`CREATE FUNCTION ${functionName(m.table, m.event)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metrics_dirty_months (country_code, month)
  SELECT DISTINCT p.country_code, CAST(date_trunc('month', p.day) AS date) FROM (${m.pairs}) p(country_code, day);
  RETURN NULL;
END $$`);
      await queryRunner.query(
        `CREATE TRIGGER "${triggerName(m.table, m.event)}" AFTER ${m.event} ON "${m.table}" REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${functionName(m.table, m.event)}()`,
      );
    }
    await queryRunner.query(`INSERT INTO metrics_dirty_months (country_code, month)
      SELECT DISTINCT country_code, CAST(date_trunc('month', reported_on) AS date) FROM disputes
      UNION SELECT DISTINCT country_code, CAST(date_trunc('month', ${initiativeDay('i')}) AS date) FROM initiatives i
      UNION SELECT DISTINCT i.country_code, CAST(date_trunc('month', b.disbursed_on) AS date) FROM disbursements b JOIN initiatives i ON i.id = b.initiative_id
      UNION SELECT DISTINCT country_code, CAST(date_trunc('month', observed_on) AS date) FROM early_warnings`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const m of [...MARKERS].reverse()) {
      await queryRunner.query(`DROP TRIGGER "${triggerName(m.table, m.event)}" ON "${m.table}"`);
      await queryRunner.query(`DROP FUNCTION ${functionName(m.table, m.event)}()`);
    }
    for (const t of [...TABLES].reverse()) await queryRunner.query(`DROP TABLE "${t.table}"`);
  }
}
