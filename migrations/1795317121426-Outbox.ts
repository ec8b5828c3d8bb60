import { MigrationInterface, QueryRunner } from 'typeorm';

export class Outbox1795317121426 implements MigrationInterface {
  name = 'Outbox1795317121426';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "outbox_messages" ("id" uuid NOT NULL, "queue" text NOT NULL, "name" text NOT NULL, "job_id" text NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "relayed_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, CONSTRAINT "PK_0171348f527c64b137e4d4f5b66" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_outbox_messages_relayed_at" ON "outbox_messages"  ("relayed_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_outbox_messages_unrelayed" ON "outbox_messages"  ("created_at") WHERE "relayed_at" IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_outbox_messages_unrelayed"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_outbox_messages_relayed_at"`);
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
  }
}
