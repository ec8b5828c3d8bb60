import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Impact metrics join every session in a filter (a network, a country, a quarter) to all of its
 * attendance rows. The two partial unique indexes cover only participant or only police rows, so
 * counting all attendance of a few sessions scanned the whole table; this index answers it with
 * an index-only scan (INCLUDE: the person columns are read without the heap). `position` as the
 * second key also serves reading one session's attendance in order (GET /sessions/{id} and
 * every page of GET /sessions), which the bench found scanning the table too. Hand-written
 * because TypeORM cannot express INCLUDE; the entity declares it with synchronize: false.
 */
export class ImpactMetricsIndexes1795321200000 implements MigrationInterface {
  name = 'ImpactMetricsIndexes1795321200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_session_attendance_session" ON "session_attendance" ("session_id", "position") INCLUDE ("participant_id", "police_partner_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_session_attendance_session"`);
  }
}
