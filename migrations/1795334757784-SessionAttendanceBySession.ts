import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionAttendanceBySession1795334757784 implements MigrationInterface {
  name = 'SessionAttendanceBySession1795334757784';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_cb61e980f11ce3cfe5dc70e6cd" ON "session_attendance"  ("session_id", "position") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_cb61e980f11ce3cfe5dc70e6cd"`);
  }
}
