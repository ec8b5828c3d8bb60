import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditEvents1795316772592 implements MigrationInterface {
  name = 'AuditEvents1795316772592';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_events" ("seq" bigint NOT NULL, "id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_kind" text NOT NULL, "actor_id" uuid, "actor_role" text, "action" text NOT NULL, "entity" text NOT NULL, "entity_id" text NOT NULL, "changes" jsonb NOT NULL, "request_id" text, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "UQ_910f64d901a5c3e9878f0d4a407" UNIQUE ("id"), CONSTRAINT "PK_6e299f5706e715265416fefe53e" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE INDEX "IDX_4e139cc590fd5127ecc451472e" ON "audit_events"  ("occurred_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_1fc8dc4af01c65fbb1f447c4e1" ON "audit_events"  ("actor_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_e037e556b6dc45ca46261009d6" ON "audit_events"  ("entity", "entity_id", "seq") `);
    // Append-only: the application never updates or deletes audit rows, so the database refuses to.
    await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_append_only ON audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e037e556b6dc45ca46261009d6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1fc8dc4af01c65fbb1f447c4e1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4e139cc590fd5127ecc451472e"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
