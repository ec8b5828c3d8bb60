import { MigrationInterface, QueryRunner } from 'typeorm';

export class EarlyWarningSourceSessionKey1795320150430 implements MigrationInterface {
  name = 'EarlyWarningSourceSessionKey1795320150430';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "early_warnings" ADD CONSTRAINT "FK_fc8a4ee006ccd4d51ca9862a2c9" FOREIGN KEY ("source_session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "early_warnings" DROP CONSTRAINT "FK_fc8a4ee006ccd4d51ca9862a2c9"`);
  }
}
