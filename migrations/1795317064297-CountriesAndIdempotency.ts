import { MigrationInterface, QueryRunner } from 'typeorm';

export class CountriesAndIdempotency1795317064297 implements MigrationInterface {
  name = 'CountriesAndIdempotency1795317064297';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "countries" ("code" character(2) NOT NULL, "name" text NOT NULL, "region" text NOT NULL, "programme_started_on" date, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b47cbb5311bad9c9ae17b8c1eda" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "idempotency_keys" ("principal_key" text NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "state" text NOT NULL, "request_id" text NOT NULL, "lease_until" TIMESTAMP WITH TIME ZONE NOT NULL, "response_status" integer, "response_body" jsonb, "response_location" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_bc65ad4985e125d33b040194e5a" PRIMARY KEY ("principal_key", "key"))`);
    await queryRunner.query(`CREATE INDEX "IDX_90decc03cdceb6f781cf413854" ON "idempotency_keys"  ("request_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_e5fc0731b6752a8e9194fa265e" ON "idempotency_keys"  ("expires_at") `);
    // Reference data: the countries the programme has run in (domain.md). Admins add more via the API.
    await queryRunner.query(`INSERT INTO "countries" ("code", "name", "region", "programme_started_on") VALUES
      ('NP', 'Nepal', 'South Asia', '2007-01-01'),
      ('IQ', 'Iraq', 'Middle East and North Africa', NULL),
      ('LY', 'Libya', 'Middle East and North Africa', NULL),
      ('TZ', 'Tanzania', 'East Africa', NULL),
      ('YE', 'Yemen', 'Middle East and North Africa', NULL),
      ('BF', 'Burkina Faso', 'West Africa and the Sahel', '2019-01-01'),
      ('ML', 'Mali', 'West Africa and the Sahel', '2019-01-01'),
      ('NE', 'Niger', 'West Africa and the Sahel', '2019-01-01'),
      ('NG', 'Nigeria', 'West Africa and the Sahel', '2019-01-01'),
      ('TN', 'Tunisia', 'Middle East and North Africa', '2019-01-01'),
      ('SN', 'Senegal', 'West Africa and the Sahel', '2019-01-01')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_e5fc0731b6752a8e9194fa265e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_90decc03cdceb6f781cf413854"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP TABLE "countries"`);
  }
}
