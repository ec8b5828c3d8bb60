import { MigrationInterface, QueryRunner } from 'typeorm';

export class EarlyWarningsIndicators1795318868811 implements MigrationInterface {
  name = 'EarlyWarningsIndicators1795318868811';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "early_warnings" ("id" uuid NOT NULL, "country_code" character(2) NOT NULL, "network_id" uuid, "observed_on" date NOT NULL, "place" text, "risk_factors" smallint array NOT NULL, "description" text NOT NULL, "severity" text NOT NULL, "status" text NOT NULL DEFAULT 'reported', "source_session_id" uuid, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_early_warnings_risk_factors" CHECK (cardinality("risk_factors") >= 1 AND "risk_factors" <@ '{1,2,3,4,5,6,7,8,9,10,11,12,13,14}'::smallint[]), CONSTRAINT "CHK_early_warnings_status" CHECK ("status" IN ('reported', 'verified', 'dismissed', 'escalated', 'resolved')), CONSTRAINT "CHK_early_warnings_severity" CHECK ("severity" IN ('low', 'medium', 'high', 'critical')), CONSTRAINT "PK_c890973d17b5227f15d91ff8237" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1cd4c7f862ac4517dbfee7833e" ON "early_warnings"  ("network_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ac229c511bad266b1dd8acd76a" ON "early_warnings"  ("country_code", "observed_on", "id") `);
    // Hand-written: TypeORM cannot declare a GIN index (the entity lists it with synchronize: false).
    // It serves the riskFactor filter and the reporting queries (`risk_factors @> ARRAY[n]`).
    await queryRunner.query(`CREATE INDEX "IDX_early_warnings_risk_factors" ON "early_warnings" USING GIN ("risk_factors")`);
    await queryRunner.query(`CREATE TABLE "early_warning_history" ("id" uuid NOT NULL, "early_warning_id" uuid NOT NULL, "from_status" text NOT NULL, "to_status" text NOT NULL, "note" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" uuid, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_bc8a99b409f5a2dcec29ed687d1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2ae6f9ff5e3f4c2c1f6c200ac0" ON "early_warning_history"  ("early_warning_id", "occurred_at", "id") `);
    await queryRunner.query(`CREATE TABLE "indicator_values" ("id" uuid NOT NULL, "network_id" uuid NOT NULL, "indicator" text NOT NULL, "period" character(7) NOT NULL, "value" numeric(12,2) NOT NULL, "source" text NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_indicator_values_value" CHECK ("value" >= 0 AND ("indicator" <> 'trust_score' OR "value" <= 100) AND ("indicator" NOT IN ('reported_crimes', 'violent_incidents') OR "value" = trunc("value"))), CONSTRAINT "CHK_indicator_values_period" CHECK ("period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'), CONSTRAINT "CHK_indicator_values_indicator" CHECK ("indicator" IN ('reported_crimes', 'violent_incidents', 'police_response_time_minutes', 'trust_score')), CONSTRAINT "PK_611038cccc7a74de92fed3da44d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9c38ce2502f0348489b5306247" ON "indicator_values"  ("period", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_indicator_values_network_indicator_period" ON "indicator_values"  ("network_id", "indicator", "period") WHERE "archived_at" IS NULL`);
    await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "kind" text NOT NULL, "early_warning_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_notifications_user_kind_warning" UNIQUE ("user_id", "kind", "early_warning_id"), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_8cc82527b21c30b700ea65be59" ON "notifications"  ("early_warning_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_dc31b33b2a539bc9e96d9b28b3" ON "notifications"  ("user_id", "created_at", "id") `);
    await queryRunner.query(`ALTER TABLE "early_warnings" ADD CONSTRAINT "FK_44fd93e0be4eb43a0a18fa3df8d" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "early_warnings" ADD CONSTRAINT "FK_1cd4c7f862ac4517dbfee7833e1" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "early_warning_history" ADD CONSTRAINT "FK_e97797d0d3a93c9a5a44e96f3ba" FOREIGN KEY ("early_warning_id") REFERENCES "early_warnings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "indicator_values" ADD CONSTRAINT "FK_d5d1ce76366f76081865738f98a" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "FK_9a8a82462cab47c73d25f49261f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "FK_8cc82527b21c30b700ea65be59b" FOREIGN KEY ("early_warning_id") REFERENCES "early_warnings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_8cc82527b21c30b700ea65be59b"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_9a8a82462cab47c73d25f49261f"`);
    await queryRunner.query(`ALTER TABLE "indicator_values" DROP CONSTRAINT "FK_d5d1ce76366f76081865738f98a"`);
    await queryRunner.query(`ALTER TABLE "early_warning_history" DROP CONSTRAINT "FK_e97797d0d3a93c9a5a44e96f3ba"`);
    await queryRunner.query(`ALTER TABLE "early_warnings" DROP CONSTRAINT "FK_1cd4c7f862ac4517dbfee7833e1"`);
    await queryRunner.query(`ALTER TABLE "early_warnings" DROP CONSTRAINT "FK_44fd93e0be4eb43a0a18fa3df8d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dc31b33b2a539bc9e96d9b28b3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8cc82527b21c30b700ea65be59"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_indicator_values_network_indicator_period"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9c38ce2502f0348489b5306247"`);
    await queryRunner.query(`DROP TABLE "indicator_values"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2ae6f9ff5e3f4c2c1f6c200ac0"`);
    await queryRunner.query(`DROP TABLE "early_warning_history"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_early_warnings_risk_factors"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ac229c511bad266b1dd8acd76a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1cd4c7f862ac4517dbfee7833e"`);
    await queryRunner.query(`DROP TABLE "early_warnings"`);
  }
}
