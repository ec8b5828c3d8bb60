import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyResponseLocationIndex1795319789911 implements MigrationInterface {
  name = 'IdempotencyResponseLocationIndex1795319789911';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_d8cb0844a9da1b0f03ca599d85" ON "idempotency_keys"  ("response_location") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_d8cb0844a9da1b0f03ca599d85"`);
  }
}
