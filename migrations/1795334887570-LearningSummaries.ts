import { MigrationInterface, QueryRunner } from 'typeorm';

export class LearningSummaries1795334887570 implements MigrationInterface {
  name = 'LearningSummaries1795334887570';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "learning_summary_runs" ("id" uuid NOT NULL, "job_key" text NOT NULL, "generation" integer NOT NULL, "job_id" text NOT NULL, "period" text NOT NULL, "country_codes" text array NOT NULL, "status" text NOT NULL DEFAULT 'queued', "progress" smallint NOT NULL DEFAULT '0', "error" text, "attempts" integer NOT NULL DEFAULT '0', "requested_by_kind" text NOT NULL, "requested_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_learning_summary_runs_progress" CHECK ("progress" BETWEEN 0 AND 100), CONSTRAINT "CHK_learning_summary_runs_status" CHECK ("status" IN ('queued', 'running', 'completed', 'failed')), CONSTRAINT "PK_746912ded18ebb83a9b0901872e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1e075779cd97d70f8254c315c5" ON "learning_summary_runs"  ("created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_learning_summary_runs_key_generation" ON "learning_summary_runs"  ("job_key", "generation") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_learning_summary_runs_active_key" ON "learning_summary_runs"  ("job_key") WHERE "status" IN ('queued', 'running')`);
    await queryRunner.query(`CREATE TABLE "learning_summary_cross_country" ("id" uuid NOT NULL, "period" text NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "country_codes" text array NOT NULL, "content" jsonb NOT NULL, "figures" jsonb, "run_id" uuid NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_learning_summary_cross_country_period" UNIQUE ("period"), CONSTRAINT "PK_6b25b9f1f8a99c495bcc0a83c0e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "learning_summaries" ("id" uuid NOT NULL, "period" text NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "country_code" character(2) NOT NULL, "content" jsonb NOT NULL, "figures" jsonb, "run_id" uuid NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_learning_summaries_period_country" UNIQUE ("period", "country_code"), CONSTRAINT "PK_b0feb50d05800d13f5c00e4f838" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b20c665647b5f67f591c012e3c" ON "learning_summaries"  ("country_code", "period") `);
    await queryRunner.query(`ALTER TABLE "learning_summary_cross_country" ADD CONSTRAINT "FK_fe96296ece5b55cf4f6b0142ab9" FOREIGN KEY ("run_id") REFERENCES "learning_summary_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "learning_summaries" ADD CONSTRAINT "FK_7cfed5c17f0d36ceeeb1c0451b3" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "learning_summaries" ADD CONSTRAINT "FK_dbca06cb8d4d86ad86ba8846ba2" FOREIGN KEY ("run_id") REFERENCES "learning_summary_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "learning_summaries" DROP CONSTRAINT "FK_dbca06cb8d4d86ad86ba8846ba2"`);
    await queryRunner.query(`ALTER TABLE "learning_summaries" DROP CONSTRAINT "FK_7cfed5c17f0d36ceeeb1c0451b3"`);
    await queryRunner.query(`ALTER TABLE "learning_summary_cross_country" DROP CONSTRAINT "FK_fe96296ece5b55cf4f6b0142ab9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b20c665647b5f67f591c012e3c"`);
    await queryRunner.query(`DROP TABLE "learning_summaries"`);
    await queryRunner.query(`DROP TABLE "learning_summary_cross_country"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_learning_summary_runs_active_key"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_learning_summary_runs_key_generation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1e075779cd97d70f8254c315c5"`);
    await queryRunner.query(`DROP TABLE "learning_summary_runs"`);
  }
}
