import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the worker recompute a quarter's or a year's distinct people later than its months.
 *
 * The refresh of a dirty (country, month) recomputed the distinct people of the month, its
 * quarter and its year in the same transaction. The year is the expensive part: its distinct
 * participants are a hash of every attendance row of the country's year (1.0–2.5 s per round on the
 * large bench dataset). Under a burst of writes each round dirtied the current month again, so
 * the worker recomputed the same years back to back and took a core from the API.
 *
 * Now a month's refresh records its quarter and year here instead, and the worker recomputes a
 * period once its mark is a minute old (METRICS_PERIOD_REFRESH_DELAY_MS), so a burst costs one
 * recomputation per period per minute. Until then the figures read that period's people from the
 * raw rows, as they read a dirty month: answers never wait for the worker and never go stale.
 *
 * Only the refresher writes this table (one process at a time, under its advisory lock), so a
 * period has one row (the first mark, ON CONFLICT DO NOTHING) and the refresh that recomputes it
 * deletes it. Writes keep marking months only (migration MetricsRollups).
 */
export class MetricsStalePeoplePeriods1796600000000 implements MigrationInterface {
  name = 'MetricsStalePeoplePeriods1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "metrics_stale_people_periods" (
      "country_code" character(2) NOT NULL,
      "period_kind" text NOT NULL,
      "period_start" date NOT NULL,
      "marked_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("country_code", "period_kind", "period_start"),
      CONSTRAINT "CHK_metrics_stale_people_periods_kind" CHECK ("period_kind" IN ('quarter', 'year')),
      CONSTRAINT "CHK_metrics_stale_people_periods_start" CHECK (date_trunc("period_kind", "period_start") = "period_start")
    )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Marks not yet acted on go back to month markers, so the older refresh recomputes those periods.
    await queryRunner.query(`INSERT INTO metrics_dirty_months (country_code, month) SELECT country_code, period_start FROM metrics_stale_people_periods`);
    await queryRunner.query(`DROP TABLE "metrics_stale_people_periods"`);
  }
}
