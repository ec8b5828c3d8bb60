import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Impact metrics of a country over a range start by reading every live session of it: id,
 * network and the unnamed counts. Through `(country_code, held_on)` that was one heap page per
 * session (sessions of a country are scattered over the table: ids are random), 100 ms of the
 * 2-year Iraq question on the large bench dataset; this partial covering index answers it with an
 * index-only scan (5 ms). Partial on live sessions: archived ones never count. Hand-written
 * because TypeORM cannot express INCLUDE; the entity declares it with synchronize: false.
 */
export class MetricsSessionsCoveringIndex1796155800000 implements MigrationInterface {
  name = 'MetricsSessionsCoveringIndex1796155800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_sessions_metrics_country" ON "sessions" ("country_code", "held_on") INCLUDE ("id", "network_id", "unnamed_women", "unnamed_men", "unnamed_youth") WHERE "archived_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_sessions_metrics_country"`);
  }
}
