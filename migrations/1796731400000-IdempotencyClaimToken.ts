import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key is settled by the claim that took it, never by the request id.
 *
 * The write's transaction marked "the key held by request X-Request-Id" as committed, and the
 * request id is the client's own X-Request-Id header when it sends one. Another caller sending
 * the same request id therefore committed (or filled with its own response) every in-progress
 * key holding that id, whoever's it was: a failing POST's key ended up replaying someone else's
 * session. Now each claim stores a random token made by the server, and every update of the key
 * (committed with the write, completed, released) matches (principal_key, key, claim_token):
 * the primary key and a value no client ever sees. The request id is no longer stored here
 * (audit events keep it for tracing).
 *
 * A key taken over after its lease ran out gets a new token, so a first attempt that outlived
 * its lease can no longer settle the key its retry now holds. Rows claimed before this
 * migration get a token nobody holds: their requests cannot settle them, and the lease (60 s)
 * lets a retry take them over, as for a process that died.
 */
export class IdempotencyClaimToken1796731400000 implements MigrationInterface {
  name = 'IdempotencyClaimToken1796731400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_90decc03cdceb6f781cf413854"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "request_id"`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "claim_token" uuid NOT NULL DEFAULT gen_random_uuid()`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ALTER COLUMN "claim_token" DROP DEFAULT`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "request_id" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`UPDATE "idempotency_keys" SET "request_id" = "claim_token"::text`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ALTER COLUMN "request_id" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "claim_token"`);
    await queryRunner.query(`CREATE INDEX "IDX_90decc03cdceb6f781cf413854" ON "idempotency_keys"  ("request_id") `);
  }
}
