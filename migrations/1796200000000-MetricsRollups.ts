import { MigrationInterface, QueryRunner } from 'typeorm';

const STAKEHOLDER_GROUPS = [
  'tribal_elder', 'religious_leader', 'lawyer', 'journalist', 'political_party', 'business', 'writer',
  'minority_group', 'womens_group', 'youth_group', 'former_combatant', 'vigilante_group',
  'idp_representative', 'academic', 'civil_society', 'other',
];

const SESSION_MONTH_FIGURES = ['sessions', 'sessions_with_state_partners', 'unnamed_attendances', 'named_attendances', 'ap_total', 'ap_open', 'ap_done', 'ap_dropped'];

/** (table, event, the SELECT of the (country_code, month) pairs the statement touched). */
const MARKERS: { table: string; event: 'INSERT' | 'UPDATE' | 'DELETE'; pairs: string }[] = [
  { table: 'sessions', event: 'INSERT', pairs: `SELECT country_code, held_on FROM new_rows` },
  { table: 'sessions', event: 'DELETE', pairs: `SELECT country_code, held_on FROM old_rows` },
  // Only what the figures read: a new title or summary leaves every rollup as it is.
  {
    table: 'sessions',
    event: 'UPDATE',
    pairs: `SELECT x.country_code, x.held_on FROM old_rows o JOIN new_rows n USING (id),
              LATERAL (VALUES (o.country_code, o.held_on), (n.country_code, n.held_on)) x(country_code, held_on)
             WHERE (o.country_code, o.network_id, o.held_on, o.archived_at, o.unnamed_women, o.unnamed_men, o.unnamed_youth)
                   IS DISTINCT FROM (n.country_code, n.network_id, n.held_on, n.archived_at, n.unnamed_women, n.unnamed_men, n.unnamed_youth)`,
  },
  ...(['INSERT', 'UPDATE', 'DELETE'] as const).flatMap((event) =>
    ['session_attendance', 'action_points'].map((table) => ({
      table,
      event,
      pairs: `SELECT s.country_code, s.held_on FROM ${event === 'INSERT' ? 'new_rows' : 'old_rows'} r JOIN sessions s ON s.id = r.session_id${
        event === 'UPDATE' ? ` UNION ALL SELECT s.country_code, s.held_on FROM new_rows r JOIN sessions s ON s.id = r.session_id` : ''
      }`,
    })),
  ),
  // A participant's gender or group counts in every month they attended.
  {
    table: 'participants',
    event: 'UPDATE',
    pairs: `SELECT s.country_code, s.held_on FROM old_rows o JOIN new_rows n USING (id)
              JOIN session_attendance a ON a.participant_id = n.id JOIN sessions s ON s.id = a.session_id
             WHERE (o.gender, o.stakeholder_group) IS DISTINCT FROM (n.gender, n.stakeholder_group)`,
  },
  ...(['INSERT', 'UPDATE', 'DELETE'] as const).map((event) => ({
    table: 'indicator_values',
    event,
    pairs: `SELECT nw.country_code, to_date(r.period, 'YYYY-MM') FROM ${event === 'INSERT' ? 'new_rows' : 'old_rows'} r JOIN networks nw ON nw.id = r.network_id${
      event === 'UPDATE' ? ` UNION ALL SELECT nw.country_code, to_date(r.period, 'YYYY-MM') FROM new_rows r JOIN networks nw ON nw.id = r.network_id` : ''
    }`,
  })),
];

const triggerName = (table: string, event: string) => `TRG_metrics_dirty_${table}_${event.toLowerCase()}`;
const functionName = (table: string, event: string) => `metrics_mark_dirty_${table}_${event.toLowerCase()}`;

/**
 * Rollups for GET /metrics/impact (issue 6: one country over two years by month took 1.2 s of
 * database time on the large bench dataset, 90% of it reading 160k attendance rows and counting
 * distinct people).
 *
 * - `metrics_session_months` and `metrics_country_months`: additive session-side counts per
 *   network (or country) and month.
 * - `metrics_people_periods`: exact distinct people (and their gender and groups) per country and
 *   month, quarter or year: distinct counts do not add up, so each period is counted on its own.
 *   Per country, not per network: attendees are always from the session's country, so the
 *   people of several countries add up; those of several networks do not.
 * - `metrics_indicator_months`: sum and number of indicator values per country, indicator and month.
 *
 * Correctness never waits for the worker: every statement that changes what the figures read
 * records the (country, month) it touched in `metrics_dirty_months`, in its own transaction
 * (statement-level triggers, one row per pair). The metrics read a dirty month from the raw
 * tables; the worker recomputes dirty months in a REPEATABLE READ transaction and deletes exactly
 * the markers its snapshot saw, so a write committed meanwhile keeps its marker. The markers are
 * append-only (no unique key): concurrent writers never wait on each other's marker.
 *
 * The last statement marks every month that already has data, so the worker builds the rollups
 * of an existing database after the upgrade; until then the figures come from the raw tables.
 */
export class MetricsRollups1796200000000 implements MigrationInterface {
  name = 'MetricsRollups1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "metrics_dirty_months" (
      "id" bigserial PRIMARY KEY,
      "country_code" character(2) NOT NULL,
      "month" date NOT NULL,
      CONSTRAINT "CHK_metrics_dirty_months_month" CHECK (date_trunc('month', "month") = "month")
    )`);
    await queryRunner.query(`CREATE INDEX "IDX_metrics_dirty_months_cell" ON "metrics_dirty_months" ("country_code", "month")`);
    await queryRunner.query(`CREATE TABLE "metrics_session_months" (
      "country_code" character(2) NOT NULL,
      "network_id" uuid NOT NULL,
      "month" date NOT NULL,
      ${SESSION_MONTH_FIGURES.map((c) => `"${c}" integer NOT NULL`).join(',\n      ')},
      PRIMARY KEY ("country_code", "month", "network_id")
    )`);
    // The same per country: a country's question reads ~180 times fewer rows.
    await queryRunner.query(`CREATE TABLE "metrics_country_months" (
      "country_code" character(2) NOT NULL,
      "month" date NOT NULL,
      ${SESSION_MONTH_FIGURES.map((c) => `"${c}" integer NOT NULL`).join(',\n      ')},
      PRIMARY KEY ("country_code", "month")
    )`);
    await queryRunner.query(`CREATE TABLE "metrics_people_periods" (
      "country_code" character(2) NOT NULL,
      "period_kind" text NOT NULL,
      "period_start" date NOT NULL,
      "unique_participants" integer NOT NULL,
      "women" integer NOT NULL,
      ${STAKEHOLDER_GROUPS.map((g) => `"sg_${g}" integer NOT NULL`).join(',\n      ')},
      PRIMARY KEY ("country_code", "period_kind", "period_start"),
      CONSTRAINT "CHK_metrics_people_periods_kind" CHECK ("period_kind" IN ('month', 'quarter', 'year')),
      CONSTRAINT "CHK_metrics_people_periods_start" CHECK (date_trunc("period_kind", "period_start") = "period_start")
    )`);
    await queryRunner.query(`CREATE TABLE "metrics_indicator_months" (
      "country_code" character(2) NOT NULL,
      "indicator" text NOT NULL,
      "period" character(7) NOT NULL,
      "value_sum" numeric NOT NULL,
      "value_count" integer NOT NULL,
      PRIMARY KEY ("country_code", "period", "indicator")
    )`);
    // The other figures of a country's question are read by index alone (no heap page per row).
    await queryRunner.query(
      `CREATE INDEX "IDX_disputes_metrics_country" ON "disputes" ("country_code", "reported_on") INCLUDE ("network_id", "status", "resolved_on") WHERE "archived_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_early_warnings_metrics_country" ON "early_warnings" ("country_code", "observed_on") INCLUDE ("network_id", "status", "risk_factors") WHERE "archived_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_disbursements_metrics_day" ON "disbursements" ("disbursed_on") INCLUDE ("initiative_id", "amount", "currency")`);
    for (const m of MARKERS) {
      const transition = m.event === 'INSERT' ? 'NEW TABLE AS new_rows' : m.event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await queryRunner.query(`CREATE FUNCTION ${functionName(m.table, m.event)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metrics_dirty_months (country_code, month)
  SELECT DISTINCT p.country_code, CAST(date_trunc('month', p.held_on) AS date) FROM (${m.pairs}) p(country_code, held_on);
  RETURN NULL;
END $$`);
      await queryRunner.query(
        `CREATE TRIGGER "${triggerName(m.table, m.event)}" AFTER ${m.event} ON "${m.table}" REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${functionName(m.table, m.event)}()`,
      );
    }
    await queryRunner.query(`INSERT INTO metrics_dirty_months (country_code, month)
      SELECT DISTINCT country_code, CAST(date_trunc('month', held_on) AS date) FROM sessions
      UNION SELECT DISTINCT n.country_code, to_date(v.period, 'YYYY-MM') FROM indicator_values v JOIN networks n ON n.id = v.network_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const m of [...MARKERS].reverse()) {
      await queryRunner.query(`DROP TRIGGER "${triggerName(m.table, m.event)}" ON "${m.table}"`);
      await queryRunner.query(`DROP FUNCTION ${functionName(m.table, m.event)}()`);
    }
    for (const index of ['IDX_disbursements_metrics_day', 'IDX_early_warnings_metrics_country', 'IDX_disputes_metrics_country']) {
      await queryRunner.query(`DROP INDEX "public"."${index}"`);
    }
    for (const table of ['metrics_indicator_months', 'metrics_people_periods', 'metrics_country_months', 'metrics_session_months', 'metrics_dirty_months']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
