import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initiatives1795320654830 implements MigrationInterface {
  name = 'Initiatives1795320654830';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "initiatives" ("id" uuid NOT NULL, "network_id" uuid NOT NULL, "country_code" character(2) NOT NULL, "title" text NOT NULL, "problem_statement" text NOT NULL, "category" text NOT NULL, "funder" text NOT NULL, "budget_amount" numeric(14,2) NOT NULL, "budget_currency" character(3) NOT NULL, "status" text NOT NULL DEFAULT 'proposed', "start_on" date, "end_on" date, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_initiatives_dates" CHECK ("end_on" IS NULL OR "start_on" IS NULL OR "end_on" >= "start_on"), CONSTRAINT "CHK_initiatives_currency" CHECK ("budget_currency" ~ '^[A-Z]{3}$'), CONSTRAINT "CHK_initiatives_budget" CHECK ("budget_amount" > 0), CONSTRAINT "CHK_initiatives_status" CHECK ("status" IN ('proposed', 'approved', 'in_progress', 'completed', 'cancelled')), CONSTRAINT "CHK_initiatives_category" CHECK ("category" IN ('police_post', 'help_desk', 'detention_facility', 'school_program', 'interfaith_committee', 'code_of_conduct', 'infrastructure', 'livelihood', 'training', 'other')), CONSTRAINT "PK_6f2f191bc885b9c50400a8b10d8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_81c2a4235fd2be7056c2523c90" ON "initiatives"  ("start_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_116be955d58aeef5dca8cc63e6" ON "initiatives"  ("funder") `);
    await queryRunner.query(`CREATE INDEX "IDX_5255c9655ef18fa0fd1f8f12ec" ON "initiatives"  ("category") `);
    await queryRunner.query(`CREATE INDEX "IDX_f53388f0151b4feee856b0a4cd" ON "initiatives"  ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_75cff516fc14ccc7edbfd7524f" ON "initiatives"  ("network_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2412a26573b8d0089390c77cc1" ON "initiatives"  ("country_code", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "disbursements" ("id" uuid NOT NULL, "initiative_id" uuid NOT NULL, "amount" numeric(14,2) NOT NULL, "currency" character(3) NOT NULL, "disbursed_on" date NOT NULL, "reference" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_disbursements_currency" CHECK ("currency" ~ '^[A-Z]{3}$'), CONSTRAINT "CHK_disbursements_amount" CHECK ("amount" > 0), CONSTRAINT "PK_2f9ea0e5b8382113aaa3e51cdfa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_970622fd5f729233a44325dd0b" ON "disbursements"  ("initiative_id", "disbursed_on", "id") `);
    await queryRunner.query(`CREATE TABLE "initiative_history" ("id" uuid NOT NULL, "initiative_id" uuid NOT NULL, "from_status" text NOT NULL, "to_status" text NOT NULL, "note" text, "actor_kind" text NOT NULL, "actor_id" uuid, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_98a3510db8511145858ed0ae80f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_626cc0775aec0e1058eeb1c08c" ON "initiative_history"  ("initiative_id", "occurred_at", "id") `);
    await queryRunner.query(`CREATE TABLE "initiative_origin_sessions" ("initiative_id" uuid NOT NULL, "session_id" uuid NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_6c65ae36327475263ad2d332291" PRIMARY KEY ("initiative_id", "session_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0464acca6837b0d98f3731a299" ON "initiative_origin_sessions"  ("session_id") `);
    await queryRunner.query(`CREATE TABLE "milestones" ("id" uuid NOT NULL, "initiative_id" uuid NOT NULL, "description" text NOT NULL, "due_on" date, "achieved_on" date, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0bdbfe399c777a6a8520ff902d9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9d23713e1b488a22ab4fbbc9bd" ON "milestones"  ("initiative_id", "created_at", "id") `);
    await queryRunner.query(`ALTER TABLE "initiatives" ADD CONSTRAINT "FK_75cff516fc14ccc7edbfd7524fa" FOREIGN KEY ("network_id") REFERENCES "networks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "initiatives" ADD CONSTRAINT "FK_e6d9f7e3e5fc7cd02910f907a6b" FOREIGN KEY ("country_code") REFERENCES "countries"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "disbursements" ADD CONSTRAINT "FK_fc9900efdf3ea1a9e9bdc334221" FOREIGN KEY ("initiative_id") REFERENCES "initiatives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "initiative_history" ADD CONSTRAINT "FK_e8e9e60048cfd7e33a16dd2866c" FOREIGN KEY ("initiative_id") REFERENCES "initiatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "initiative_origin_sessions" ADD CONSTRAINT "FK_93ff11a30b762a00f7dd0ada373" FOREIGN KEY ("initiative_id") REFERENCES "initiatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "initiative_origin_sessions" ADD CONSTRAINT "FK_0464acca6837b0d98f3731a299c" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "milestones" ADD CONSTRAINT "FK_152af596f3ff976e4717ec2f551" FOREIGN KEY ("initiative_id") REFERENCES "initiatives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "milestones" DROP CONSTRAINT "FK_152af596f3ff976e4717ec2f551"`);
    await queryRunner.query(`ALTER TABLE "initiative_origin_sessions" DROP CONSTRAINT "FK_0464acca6837b0d98f3731a299c"`);
    await queryRunner.query(`ALTER TABLE "initiative_origin_sessions" DROP CONSTRAINT "FK_93ff11a30b762a00f7dd0ada373"`);
    await queryRunner.query(`ALTER TABLE "initiative_history" DROP CONSTRAINT "FK_e8e9e60048cfd7e33a16dd2866c"`);
    await queryRunner.query(`ALTER TABLE "disbursements" DROP CONSTRAINT "FK_fc9900efdf3ea1a9e9bdc334221"`);
    await queryRunner.query(`ALTER TABLE "initiatives" DROP CONSTRAINT "FK_e6d9f7e3e5fc7cd02910f907a6b"`);
    await queryRunner.query(`ALTER TABLE "initiatives" DROP CONSTRAINT "FK_75cff516fc14ccc7edbfd7524fa"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9d23713e1b488a22ab4fbbc9bd"`);
    await queryRunner.query(`DROP TABLE "milestones"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0464acca6837b0d98f3731a299"`);
    await queryRunner.query(`DROP TABLE "initiative_origin_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_626cc0775aec0e1058eeb1c08c"`);
    await queryRunner.query(`DROP TABLE "initiative_history"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_970622fd5f729233a44325dd0b"`);
    await queryRunner.query(`DROP TABLE "disbursements"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2412a26573b8d0089390c77cc1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_75cff516fc14ccc7edbfd7524f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f53388f0151b4feee856b0a4cd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5255c9655ef18fa0fd1f8f12ec"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_116be955d58aeef5dca8cc63e6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_81c2a4235fd2be7056c2523c90"`);
    await queryRunner.query(`DROP TABLE "initiatives"`);
  }
}
